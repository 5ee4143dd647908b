import { z } from "@hono/zod-openapi";
import { CHECKED_SETTINGS, type ConfigProblem } from "../config/check";
import { ACK_BY, type AlertAckRow, CHANNEL_KINDS, MILESTONE_KINDS, type MilestoneRow, PRECISIONS, RECORDED_OUTCOMES } from "../db/schema";
import { Timestamp, Translated } from "../http/schemas";
import { describeDue, describeTimeLeft } from "../time/due";
import { addReason } from "./health";

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

const AwaitingMilestone = UpcomingMilestone.openapi({ description: "An event whose day has come, with no outcome recorded yet" });

const RecentOutcome = z.object({
	id: z.number().int(),
	slug: z.string(),
	title: z.string(),
	kind: z.enum(MILESTONE_KINDS),
	due_label: z.string(),
	outcome: z.enum(RECORDED_OUTCOMES),
	note: z.string(),
	source_url: z.string().nullable(),
	at: Timestamp,
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
				setting: z.enum(CHECKED_SETTINGS),
				problem: z.string().openapi({ example: "is not set: alerts have no sender" }),
			}),
		),
	})
	.openapi({
		description:
			"Required settings that are missing or invalid, and optional ones that are invalid, by name (never their values); any makes the status degraded",
	});

export const Status = z
	.object({
		status: z.enum(["ok", "degraded"]),
		reason: z.string().nullable().openapi({
			description:
				"Why the status is degraded, in one line; null when ok. The whole instance: a stale cron, a failed alert, a configuration problem. A situation page: an overdue deadline, a stale cron, a configuration problem",
			example: "1 deadline is overdue; the sweep cron is stale",
		}),
		now: Timestamp,
		milestones: z.object({
			next: z.array(UpcomingMilestone),
			overdue: z.number().int().openapi({ description: "Deadlines still scheduled past due (events are never overdue: they await their outcome)" }),
			overdue_items: z.array(OverdueMilestone),
			awaiting_outcome: z.number().int().openapi({ description: "Events past their day with no outcome recorded" }),
			awaiting_outcome_items: z.array(AwaitingMilestone),
			recent_outcomes: z.array(RecentOutcome).openapi({ description: "Outcomes recorded in the last 30 days, newest first" }),
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
		ingest: z.object({ rejected: z.number().int(), dead_lettered: z.number().int() }).openapi({
			description:
				"Queued webhooks (docs/intake.md) answered 202 but never written in the last 7 days: rejected against fresh data, or kept by the dead-letter queue (which makes the status degraded)",
		}),
		cron: z.object({ last_run_at: Timestamp.nullable(), stale: z.boolean(), jobs: z.array(CronJob) }),
		configuration: Configuration,
	})
	.openapi("Status");

export type StatusJson = z.infer<typeof Status>;

/** The status as stored data shows it, before the configuration is judged (it is not the data's to say). */
export type DataStatusJson = Omit<StatusJson, "configuration">;

/** The whole status: the data's, plus the configuration's problems, which also make it degraded. */
export function withConfiguration(data: DataStatusJson, problems: readonly ConfigProblem[]): StatusJson {
	const { status, reason } = problems.length > 0 ? addReason(data, `configuration incomplete (${problems.map((p) => p.setting).join(", ")})`) : data;
	return {
		...data,
		status,
		reason,
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

export type RecentOutcomeJson = z.infer<typeof RecentOutcome>;

/** A milestone whose outcome is recorded, as /status lists it; null when it has none. */
export function recentOutcome(row: MilestoneRow): RecentOutcomeJson | null {
	if (!row.outcome || !row.outcomeAt) return null;
	return {
		id: row.id,
		slug: row.slug,
		title: row.title,
		kind: row.kind,
		due_label: describeDue(row.due, row.kind, row.timezone, row.dueAt.getTime()),
		outcome: row.outcome,
		note: row.outcomeNote ?? "",
		source_url: row.outcomeSourceUrl,
		at: row.outcomeAt.toISOString(),
	};
}
