import { and, asc, count, desc, eq, gte, inArray, lt, lte, sql } from "drizzle-orm";
import { alertQueueStats, channelHealth } from "../alerts";
import { isStale, SCHEDULES } from "../cron/jobs";
import type { Db } from "../db/client";
import { hasAnyOf } from "../db/lookup";
import { alertAcks, cronRuns, incidents, milestoneRevisions, milestones, zones } from "../db/schema";
import { countable, incidentCounts, ingestFailureCounts, inZones } from "../incidents";
import { deliveryHealth } from "../subscribers";
import { judgeHealth } from "./health";
import { MAP_POINT_CAP, type MapData } from "./map-layout";
import { type DataStatusJson, overdueMilestone, recentOutcome, upcoming } from "./schema";

/**
 * What a situation page shows of the whole: milestones with any of its tags, incidents in its
 * zones (slugs); an empty list takes everything. Crons, alerts and channels are the instance's.
 */
export interface StatusScope {
	tags: readonly string[];
	zones: readonly string[];
}

const NEXT_LIMIT = 10;
/** Slips and outcomes are listed for this long after they are recorded. */
const SLIP_WINDOW_MS = 30 * 86_400_000;
const MAP_WINDOW_MS = 7 * 86_400_000;

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

/** What every scope shows alike: the instance's crons, alert queue, subscribers, channels and ingest failures. */
export async function instanceStatus(db: Db, now: Date) {
	const [cron, alerts, subscribers, channels, ingest] = await Promise.all([
		cronHealth(db, now),
		alertQueueStats(db, now),
		deliveryHealth(db),
		channelHealth(db),
		ingestFailureCounts(db, now),
	]);
	return { cron, alerts, subscribers, channels, ingest };
}

export type InstanceStatus = Awaited<ReturnType<typeof instanceStatus>>;

/**
 * Everything /status and / show, from indexed queries whose cost does not grow with history; with
 * a `scope`, a situation page's (its milestones and incidents, judged as a page: health.ts). The
 * instance's part is read here unless given (situation pages share the one read for /status).
 */
export async function getStatus(db: Db, now: Date, scope?: StatusScope, instance?: Promise<InstanceStatus>): Promise<DataStatusJson> {
	const inScope = hasAnyOf(milestones.tags, scope?.tags ?? []);
	const scheduled = and(eq(milestones.status, "scheduled"), inScope);
	// Past due, a deadline is overdue and an event awaits its outcome (milestones/state.ts says the same of one row).
	const overdueNow = and(scheduled, lt(milestones.dueAt, now), eq(milestones.kind, "deadline"));
	const awaitingNow = and(scheduled, lt(milestones.dueAt, now), eq(milestones.kind, "event"));
	const since = new Date(now.getTime() - SLIP_WINDOW_MS);
	const [next, overdueItems, [overdue], awaitingItems, [awaiting], outcomes, slips, incidents, { cron, alerts, subscribers, channels, ingest }] =
		await Promise.all([
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
				.where(overdueNow)
				.orderBy(desc(milestones.dueAt))
				.limit(NEXT_LIMIT),
			db.select({ n: count() }).from(milestones).where(overdueNow),
			db.select().from(milestones).where(awaitingNow).orderBy(desc(milestones.dueAt)).limit(NEXT_LIMIT),
			db.select({ n: count() }).from(milestones).where(awaitingNow),
			db
				.select()
				.from(milestones)
				.where(and(gte(milestones.outcomeAt, since), inScope))
				.orderBy(desc(milestones.outcomeAt))
				.limit(NEXT_LIMIT),
			db
				.select({ revision: milestoneRevisions, slug: milestones.slug, title: milestones.title, titleI18n: milestones.titleI18n })
				.from(milestoneRevisions)
				.innerJoin(milestones, eq(milestones.id, milestoneRevisions.milestoneId))
				.where(and(gte(milestoneRevisions.createdAt, since), inScope))
				.orderBy(desc(milestoneRevisions.createdAt))
				.limit(NEXT_LIMIT),
			incidentCounts(db, now, scope?.zones),
			instance ?? instanceStatus(db, now),
		]);
	const health = judgeHealth(
		{
			overdueDeadlines: overdue?.n ?? 0,
			staleJobs: cron.jobs.filter((j) => j.stale).map((j) => j.job),
			failedAlerts: alerts.failed,
			deadLettered: ingest.dead_lettered,
		},
		scope ? "page" : "site",
	);
	return {
		...health,
		now: now.toISOString(),
		milestones: {
			next: next.map((m) => upcoming(m, now)),
			overdue: overdue?.n ?? 0,
			overdue_items: overdueItems.map((r) => overdueMilestone(r.milestone, r.ack, now)),
			awaiting_outcome: awaiting?.n ?? 0,
			awaiting_outcome_items: awaitingItems.map((m) => upcoming(m, now)),
			recent_outcomes: outcomes.flatMap((m) => recentOutcome(m) ?? []),
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
		ingest,
		cron,
	};
}

/**
 * The map's incidents, unexecuted (a test reads its plan): the counted ones of the last 7 days
 * (the window /status counts) in the scope's zones, newest first from the occurred_at index, one
 * more than the map draws so that "too many" is known without counting them all.
 */
export function mapPointsQuery(db: Db, now: Date, scope?: StatusScope) {
	return db
		.select({ lon: incidents.longitude, lat: incidents.latitude, zoneId: incidents.zoneId })
		.from(incidents)
		.where(
			and(
				gte(incidents.occurredAt, new Date(now.getTime() - MAP_WINDOW_MS)),
				lte(incidents.occurredAt, now),
				countable(),
				inZones(incidents.zoneId, scope?.zones ?? []),
			),
		)
		.orderBy(desc(incidents.occurredAt), desc(incidents.id))
		.limit(MAP_POINT_CAP + 1);
}

/** What the status map draws: the scope's zones (every zone without one; zones are few) and the week's incidents, at most MAP_POINT_CAP + 1 rows. */
export async function getMapData(db: Db, now: Date, scope?: StatusScope): Promise<MapData> {
	const slugs = scope?.zones ?? [];
	const [zoneRows, rows] = await Promise.all([
		db
			.select({ id: zones.id, slug: zones.slug, name: zones.name, polygon: zones.polygon })
			.from(zones)
			.where(slugs.length === 0 ? undefined : inArray(zones.slug, [...slugs]))
			.orderBy(asc(zones.name), asc(zones.id)),
		mapPointsQuery(db, now, scope),
	]);
	const slugOf = new Map(zoneRows.map((z) => [z.id, z.slug]));
	const mapZones = zoneRows.map(({ slug, name, polygon }) => ({ slug, name, polygon }));
	if (rows.length > MAP_POINT_CAP) return { zones: mapZones, incidents: { tooMany: true } };
	const points = rows.flatMap((r) =>
		r.lon === null || r.lat === null ? [] : [{ lon: r.lon, lat: r.lat, zone: r.zoneId === null ? null : (slugOf.get(r.zoneId) ?? null) }],
	);
	return { zones: mapZones, incidents: { points, withoutCoordinates: rows.length - points.length } };
}
