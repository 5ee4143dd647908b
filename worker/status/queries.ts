import { and, asc, count, desc, eq, gte, lt, sql } from "drizzle-orm";
import { alertQueueStats, channelHealth } from "../alerts";
import { isStale, SCHEDULES } from "../cron/jobs";
import type { Db } from "../db/client";
import { alertAcks, cronRuns, milestoneRevisions, milestones } from "../db/schema";
import { incidentCounts } from "../incidents";
import { deliveryHealth } from "../subscribers";
import { type DataStatusJson, overdueMilestone, upcoming } from "./schema";

const NEXT_LIMIT = 10;
const SLIP_WINDOW_MS = 30 * 86_400_000;

/** Last run of each job; one indexed lookup per job. */
async function cronHealth(db: Db, now: Date) {
	const first = await db.query.cronRuns.findFirst({ orderBy: asc(cronRuns.id), columns: { startedAt: true } });
	const jobs = await Promise.all(
		SCHEDULES.map(async (job) => {
			const last = await db.query.cronRuns.findFirst({ where: eq(cronRuns.job, job.name), orderBy: desc(cronRuns.startedAt) });
			return {
				job: job.name,
				cron: job.cron,
				last_run_at: last ? last.startedAt.toISOString() : null,
				last_error: last?.error ?? null,
				stale: isStale(job.intervalMs, last?.startedAt ?? null, first?.startedAt ?? null, now),
			};
		}),
	);
	const lastRun =
		jobs
			.map((j) => j.last_run_at)
			.filter((t): t is string => t !== null)
			.sort()
			.at(-1) ?? null;
	return { last_run_at: lastRun, stale: jobs.some((j) => j.stale), jobs };
}

/** One round trip to D1; throws (and the app answers 503) when it is down. */
export async function ping(db: Db): Promise<void> {
	await db.run(sql`SELECT 1`);
}

/** Everything /status and / show, from indexed queries whose cost does not grow with history. */
export async function getStatus(db: Db, now: Date): Promise<DataStatusJson> {
	const scheduled = eq(milestones.status, "scheduled");
	const [next, overdueItems, [overdue], slips, cron, incidents, alerts, subscribers, channels] = await Promise.all([
		db
			.select()
			.from(milestones)
			.where(and(scheduled, gte(milestones.dueAt, now)))
			.orderBy(asc(milestones.dueAt), asc(milestones.id))
			.limit(NEXT_LIMIT),
		db
			.select({ milestone: milestones, ack: alertAcks })
			.from(milestones)
			.leftJoin(alertAcks, and(eq(alertAcks.milestoneId, milestones.id), eq(alertAcks.dueAt, milestones.dueAt)))
			.where(and(scheduled, lt(milestones.dueAt, now)))
			.orderBy(desc(milestones.dueAt))
			.limit(NEXT_LIMIT),
		db
			.select({ n: count() })
			.from(milestones)
			.where(and(scheduled, lt(milestones.dueAt, now))),
		db
			.select({ revision: milestoneRevisions, slug: milestones.slug, title: milestones.title, titleI18n: milestones.titleI18n })
			.from(milestoneRevisions)
			.innerJoin(milestones, eq(milestones.id, milestoneRevisions.milestoneId))
			.where(gte(milestoneRevisions.createdAt, new Date(now.getTime() - SLIP_WINDOW_MS)))
			.orderBy(desc(milestoneRevisions.createdAt))
			.limit(NEXT_LIMIT),
		cronHealth(db, now),
		incidentCounts(db, now),
		alertQueueStats(db, now),
		deliveryHealth(db),
		channelHealth(db),
	]);
	const degraded = cron.stale || alerts.failed > 0;
	return {
		status: degraded ? "degraded" : "ok",
		now: now.toISOString(),
		milestones: {
			next: next.map((m) => upcoming(m, now)),
			overdue: overdue?.n ?? 0,
			overdue_items: overdueItems.map((r) => overdueMilestone(r.milestone, r.ack, now)),
			recent_slips: slips.map(({ revision: r, slug, title, titleI18n }) => ({
				milestone_id: r.milestoneId,
				slug,
				title,
				title_i18n: titleI18n,
				from: r.oldDueAt.toISOString(),
				to: r.newDueAt.toISOString(),
				from_due: r.oldDue,
				to_due: r.newDue,
				reason: r.reason,
				at: r.createdAt.toISOString(),
			})),
		},
		incidents,
		alerts,
		subscribers,
		channels,
		cron,
	};
}
