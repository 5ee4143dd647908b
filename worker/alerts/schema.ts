import { z } from "@hono/zod-openapi";
import { ALERT_KINDS, ALERT_STATUSES, type AlertRow } from "../db/schema";
import { listOf, Page, Timestamp } from "../http/schemas";

export const Alert = z
	.object({
		id: z.number().int(),
		kind: z.enum(ALERT_KINDS),
		milestone_id: z.number().int().nullable(),
		zone_id: z.number().int().nullable(),
		offset: z.string().nullable().openapi({ description: "Deadline: the offset crossed (P7D); overdue: PT0S, reminders -P7D (after due)" }),
		due_at: Timestamp.nullable(),
		recipient: z.string().openapi({ description: "A subscriber's address, or `channel:<id>` for a channel" }),
		channel_id: z.number().int().nullable(),
		status: z.enum(ALERT_STATUSES),
		attempts: z.number().int(),
		next_attempt_at: Timestamp,
		last_error: z.string().nullable(),
		message_id: z.string().nullable(),
		created_at: Timestamp,
		sent_at: Timestamp.nullable(),
	})
	.openapi("Alert");

export const AlertList = listOf(Alert, "AlertList");

export const AlertQuery = Page.extend({
	status: z.enum(ALERT_STATUSES).optional(),
	kind: z.enum(ALERT_KINDS).optional(),
	milestone: z.coerce.number().int().positive().optional().openapi({ description: "A milestone id" }),
	recipient: z.string().max(254).optional(),
}).strict();

export type AlertJson = z.infer<typeof Alert>;
export type AlertQueryInput = z.infer<typeof AlertQuery>;

/** The public JSON for a ledger row. */
export function alertJson(row: AlertRow): AlertJson {
	return {
		id: row.id,
		kind: row.kind,
		milestone_id: row.milestoneId,
		zone_id: row.zoneId,
		offset: row.offset,
		due_at: row.dueAt?.toISOString() ?? null,
		recipient: row.recipient,
		channel_id: row.channelId,
		status: row.status,
		attempts: row.attempts,
		next_attempt_at: row.nextAttemptAt.toISOString(),
		last_error: row.lastError,
		message_id: row.messageId,
		created_at: row.createdAt.toISOString(),
		sent_at: row.sentAt?.toISOString() ?? null,
	};
}
