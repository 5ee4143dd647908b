import { z } from "@hono/zod-openapi";
import { type ConfigProblem, REQUIRED_SETTINGS } from "../config/check";
import { ACK_BY, type AlertAckRow, CHANNEL_KINDS, MILESTONE_KINDS, type MilestoneRow, PRECISIONS } from "../db/schema";
import { Timestamp, Translated } from "../http/schemas";
import { describeDue, describeTimeLeft } from "../time/due";

const UpcomingMilestone = z.object({
	id: z.number().int(),
	slug: z.string(),
	title: z.string(),
	title_i18n: Translated(200),
	kind: z.enum(MILESTONE_KINDS),
	precision: z.enum(PRECISIONS),
	due: z.string(),
	due_label: z.string().openapi({ example: "by September 2025" }),
	timezone: z.string(),
	due_at: Timestamp,
	seconds_left: z.number().int().openapi({ description: "Negative once overdue" }),
	time_left: z.string().openapi({ example: "in 12 days 4 hours" }),
	slip_count: z.number().int(),
});

const OverdueMilestone = UpcomingMilestone.extend({
	acknowledged: z
		.object({ at: Timestamp, by_kind: z.enum(ACK_BY) })
		.nullable()
		.openapi({ description: "Who (a subscriber, a channel, an admin) acknowledged this due date, and when: no more reminders for it" }),
});

const Slip = z.object({
	milestone_id: z.number().int(),
	slug: z.string(),
	title: z.string(),
	title_i18n: Translated(200),
	from: Timestamp,
	to: Timestamp,
	from_due: z.string(),
	to_due: z.string(),
	reason: z.string().nullable(),
	at: Timestamp,
});

const CronJob = z.object({
	job: z.string(),
	cron: z.string(),
	last_run_at: Timestamp.nullable(),
	last_error: z.string().nullable(),
	stale: z.boolean(),
});

const Configuration = z
	.object({
		ok: z.boolean(),
		problems: z.array(
			z.object({
				setting: z.enum(REQUIRED_SETTINGS),
				problem: z.string().openapi({ example: "is not set: alerts have no sender" }),
			}),
		),
	})
	.openapi({ description: "Required settings that are missing or invalid, by name (never their values); any makes the status degraded" });

export const Status = z
	.object({
		status: z.enum(["ok", "degraded"]),
		now: Timestamp,
		milestones: z.object({
			next: z.array(UpcomingMilestone),
			overdue: z.number().int(),
			overdue_items: z.array(OverdueMilestone),
			recent_slips: z.array(Slip),
		}),
		incidents: z.object({
			last_24h: z.number().int(),
			last_7d: z.number().int(),
			verified_share: z
				.number()
				.min(0)
				.max(1)
				.nullable()
				.openapi({ description: "Verified among the last 7 days' counted incidents (0-1); null when there are none" }),
			by_zone: z.array(
				z.object({
					zone: z.string().nullable(),
					name: z.string().nullable(),
					name_i18n: Translated(200),
					last_24h: z.number().int(),
					last_7d: z.number().int(),
				}),
			),
		}),
		alerts: z.object({ pending: z.number().int(), failed: z.number().int(), last_sent_at: Timestamp.nullable() }),
		subscribers: z
			.object({ suppressed: z.number().int(), soft_bouncing: z.number().int() })
			.openapi({ description: "Subscribers (not unsubscribed) whose mail is stopped by a hard bounce or complaint, and those with soft bounces" }),
		channels: z
			.object({
				disabled: z.array(
					z.object({ id: z.number().int(), kind: z.enum(CHANNEL_KINDS), name: z.string(), disabled_at: Timestamp.nullable(), reason: z.string().nullable() }),
				),
				retrying: z.array(
					z.object({ id: z.number().int(), kind: z.enum(CHANNEL_KINDS), name: z.string(), pending: z.number().int(), last_error: z.string().nullable() }),
				),
			})
			.openapi({ description: "Alert channels stopped (by an admin, or by their receiver: the reason says), and those with alerts waiting to be retried" }),
		cron: z.object({ last_run_at: Timestamp.nullable(), stale: z.boolean(), jobs: z.array(CronJob) }),
		configuration: Configuration,
	})
	.openapi("Status");

export type StatusJson = z.infer<typeof Status>;

/** The status as stored data shows it, before the configuration is judged (it is not the data's to say). */
export type DataStatusJson = Omit<StatusJson, "configuration">;

/** The whole status: the data's, plus the configuration's problems, which also make it degraded. */
export function withConfiguration(data: DataStatusJson, problems: readonly ConfigProblem[]): StatusJson {
	return {
		...data,
		status: problems.length > 0 ? "degraded" : data.status,
		configuration: { ok: problems.length === 0, problems: problems.map((p) => ({ setting: p.setting, problem: p.problem })) },
	};
}
export type UpcomingMilestoneJson = z.infer<typeof UpcomingMilestone>;
export type OverdueMilestoneJson = z.infer<typeof OverdueMilestone>;

/** An overdue milestone as /status lists it, with the acknowledgement of its current due date. */
export function overdueMilestone(row: MilestoneRow, ack: AlertAckRow | null, now: Date): OverdueMilestoneJson {
	return { ...upcoming(row, now), acknowledged: ack ? { at: ack.ackedAt.toISOString(), by_kind: ack.byKind } : null };
}

/** A milestone as /status lists it: its due date and the time left at `now`. */
export function upcoming(row: MilestoneRow, now: Date): UpcomingMilestoneJson {
	return {
		id: row.id,
		slug: row.slug,
		title: row.title,
		title_i18n: row.titleI18n,
		kind: row.kind,
		precision: row.precision,
		due: row.due,
		due_label: describeDue(row.due, row.kind, row.timezone, row.dueAt.getTime()),
		timezone: row.timezone,
		due_at: row.dueAt.toISOString(),
		seconds_left: Math.round((row.dueAt.getTime() - now.getTime()) / 1000),
		time_left: describeTimeLeft(row.dueAt.getTime(), now.getTime()),
		slip_count: row.slipCount,
	};
}
