/**
 * Surge detection. A zone surges when its incidents in the last 7 days exceed `multiple` times
 * its trailing weekly average (the 4 weeks before those 7 days) and number at least `minimum`.
 * One surge alert per zone per 7 days.
 */
import { and, eq, gt, isNotNull, lte, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { alerts, incidents } from "../db/schema";
import { countable } from "../incidents";

const DAY_MS = 86_400_000;
export const SURGE_WINDOW_MS = 7 * DAY_MS;
export const BASELINE_WEEKS = 4;

export interface ZoneCounts {
	zoneId: number;
	/** Incidents in (now - 7d, now]. */
	recent: number;
	/** Incidents in (now - 35d, now - 7d]. */
	baseline: number;
}

/** A zone's trailing weekly average: what its last 7 days are compared with. */
export function weeklyAverage(c: Pick<ZoneCounts, "baseline">): number {
	return c.baseline / BASELINE_WEEKS;
}

/** The pure rule: does this zone surge? */
export function isSurge(c: ZoneCounts, multiple: number, minimum: number): boolean {
	return c.recent >= minimum && c.recent > multiple * weeklyAverage(c);
}

/** Zones that surge now and had no surge alert in the last 7 days. */
export function surgingZones(counts: readonly ZoneCounts[], recentlyAlerted: ReadonlySet<number>, multiple: number, minimum: number): ZoneCounts[] {
	return counts.filter((c) => !recentlyAlerted.has(c.zoneId) && isSurge(c, multiple, minimum));
}

/** Per-zone counts for the surge rule: one aggregate over the last 35 days (incidents_occurred index). */
export async function zoneCounts(db: Db, now: Date): Promise<ZoneCounts[]> {
	const t = now.getTime();
	const split = t - SURGE_WINDOW_MS;
	const rows = await db
		.select({
			zoneId: incidents.zoneId,
			recent: sql<number>`sum(case when ${incidents.occurredAt} > ${split} then 1 else 0 end)`,
			baseline: sql<number>`sum(case when ${incidents.occurredAt} <= ${split} then 1 else 0 end)`,
		})
		.from(incidents)
		.where(
			and(
				gt(incidents.occurredAt, new Date(split - BASELINE_WEEKS * SURGE_WINDOW_MS)),
				lte(incidents.occurredAt, now),
				isNotNull(incidents.zoneId),
				countable(),
			),
		)
		.groupBy(incidents.zoneId);
	return rows.flatMap((r) => (r.zoneId === null ? [] : [{ zoneId: r.zoneId, recent: Number(r.recent), baseline: Number(r.baseline) }]));
}

/** Zones that got a surge alert in the last 7 days (alerts_created index). */
export async function recentSurgeZones(db: Db, now: Date): Promise<Set<number>> {
	const rows = await db
		.selectDistinct({ zoneId: alerts.zoneId })
		.from(alerts)
		.where(and(gt(alerts.createdAt, new Date(now.getTime() - SURGE_WINDOW_MS)), eq(alerts.kind, "surge")));
	return new Set(rows.flatMap((r) => (r.zoneId === null ? [] : [r.zoneId])));
}
