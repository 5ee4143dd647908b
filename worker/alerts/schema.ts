import { z } from "@hono/zod-openapi";
import { ACK_BY, ALERT_KINDS, ALERT_STATUSES, type AlertAckRow, type AlertRow } from "../db/schema";
import { listOf, Page, Timestamp } from "../http/schemas";

export const Acknowledgement = z
	.object({
		at: Timestamp,
		by_kind: z.enum(ACK_BY),
		by: z.string().nullable().openapi({ description: "The recipient who acknowledged through their link; null for an admin" }),
		alert_id: z.number().int().openapi({ description: "The alert whose link (or id) acknowledged" }),
	})
	.openapi("Acknowledgement", { description: "The milestone gets no more reminders for this due date" });

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
		acknowledged: Acknowledgement.nullable().openapi({ description: "Overdue alerts and reminders: who acknowledged this due date, and when" }),
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

export const AlertIdParam = z.object({
	id: z.coerce
		.number()
		.int()
		.positive()
		.openapi({ param: { name: "id", in: "path" }, example: 42 }),
});

export type AcknowledgementJson = z.infer<typeof Acknowledgement>;

/** The JSON of an acknowledgement. */
export function ackJson(ack: AlertAckRow): AcknowledgementJson {
	return { at: ack.ackedAt.toISOString(), by_kind: ack.byKind, by: ack.by, alert_id: ack.alertId };
}

/** The public JSON for a ledger row, with the acknowledgement of its due date (overdue alerts only). */
export function alertJson(row: AlertRow, ack: AlertAckRow | null): AlertJson {
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
		acknowledged: ack ? ackJson(ack) : null,
	};
}
