import { and, eq, gte, isNull, lte, ne, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { incidents, zones } from "../db/schema";

export const WEEK_MS = 7 * 86_400_000;
/** 1970-01-05, the first Monday after the epoch: weeks are Monday 00:00 UTC to Monday. */
const MONDAY_MS = 4 * 86_400_000;
export const CHART_WEEKS = 12;

/** The Monday 00:00 UTC that starts the week holding `ms`. */
export function weekStart(ms: number): number {
	return Math.floor((ms - MONDAY_MS) / WEEK_MS) * WEEK_MS + MONDAY_MS;
}

/** One (zone, week) cell as the grouped query returns it. */
export interface WeeklyCount {
	zone: string | null;
	name: string | null;
	week: number;
	count: number;
	verified: number;
}

/**
 * The grouped query behind countIncidentsByWeek, unexecuted (a test asks SQLite for its plan):
 * counted incidents (not retracted, not rejected) per zone and UTC week, over the occurred_at index.
 */
export function incidentsByWeekQuery(db: Db, now: Date, weeks = CHART_WEEKS) {
	const from = weekStart(now.getTime()) - (weeks - 1) * WEEK_MS;
	// Constants are inlined, not bound: D1 may bind JS numbers as REAL, and `/` must stay integer division.
	const week = sql<number>`((${incidents.occurredAt} - ${sql.raw(String(MONDAY_MS))}) / ${sql.raw(String(WEEK_MS))}) * ${sql.raw(String(WEEK_MS))} + ${sql.raw(String(MONDAY_MS))}`;
	return db
		.select({
			zone: zones.slug,
			name: zones.name,
			week: week.mapWith(Number),
			count: sql<number>`count(*)`.mapWith(Number),
			verified: sql<number>`sum(case when ${incidents.verification} = 'verified' then 1 else 0 end)`.mapWith(Number),
		})
		.from(incidents)
		.leftJoin(zones, eq(zones.id, incidents.zoneId))
		.where(
			and(gte(incidents.occurredAt, new Date(from)), lte(incidents.occurredAt, now), isNull(incidents.retractedAt), ne(incidents.verification, "rejected")),
		)
		.groupBy(incidents.zoneId, week);
}

/** Incidents per zone and week over the last `weeks` weeks, the current one included: one grouped query. */
export async function countIncidentsByWeek(db: Db, now: Date, weeks = CHART_WEEKS): Promise<WeeklyCount[]> {
	return await incidentsByWeekQuery(db, now, weeks);
}

/** One zone's line of the chart: a count per week, oldest first. */
export interface ZoneSeries {
	zone: string | null;
	name: string;
	counts: number[];
	total: number;
}

/** The chart's data: week starts (oldest first), the zones busiest first, and the verified share. */
export interface WeeklySeries {
	weeks: number[];
	zones: ZoneSeries[];
	total: number;
	verified: number;
	/** verified / total, or null when there is nothing to count. */
	verifiedShare: number | null;
}

const OTHER = "Other zones";
const NO_ZONE = "No zone";

/**
 * Folds the grouped rows into one series per zone over `weeks` weeks ending with the one
 * holding `now`; past `maxZones`, the quietest zones are summed into "Other zones".
 */
export function weeklySeries(rows: readonly WeeklyCount[], now: Date, weeks = CHART_WEEKS, maxZones = 6): WeeklySeries {
	const last = weekStart(now.getTime());
	const first = last - (weeks - 1) * WEEK_MS;
	const starts = Array.from({ length: weeks }, (_, i) => first + i * WEEK_MS);
	const byZone = new Map<string, ZoneSeries>();
	let total = 0;
	let verified = 0;
	for (const row of rows) {
		const index = (row.week - first) / WEEK_MS;
		if (!Number.isInteger(index) || index < 0 || index >= weeks || row.count <= 0) continue;
		const key = row.zone ?? "";
		let series = byZone.get(key);
		if (!series) {
			series = { zone: row.zone, name: row.zone ? (row.name ?? row.zone) : NO_ZONE, counts: new Array<number>(weeks).fill(0), total: 0 };
			byZone.set(key, series);
		}
		series.counts[index] = (series.counts[index] ?? 0) + row.count;
		series.total += row.count;
		total += row.count;
		verified += row.verified;
	}
	const sorted = [...byZone.values()].sort((a, b) => b.total - a.total || a.name.localeCompare(b.name));
	let zonesOut = sorted;
	if (sorted.length > maxZones) {
		const rest = sorted.slice(maxZones - 1);
		const other: ZoneSeries = { zone: null, name: OTHER, counts: starts.map((_, i) => rest.reduce((n, s) => n + (s.counts[i] ?? 0), 0)), total: 0 };
		other.total = other.counts.reduce((a, b) => a + b, 0);
		zonesOut = [...sorted.slice(0, maxZones - 1), other];
	}
	return { weeks: starts, zones: zonesOut, total, verified, verifiedShare: total > 0 ? verified / total : null };
}
