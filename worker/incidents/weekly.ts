import { and, eq, gt, gte, lt, sql } from "drizzle-orm";
import { unionAll } from "drizzle-orm/sqlite-core";
import type { Db } from "../db/client";
import { incidentHourly, incidents, type Translations, zones } from "../db/schema";
import { countable, HOUR_MS, hourOf, inZones, occurredIn, type ZoneSlugs, zoneKeyOf } from "./queries";

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
	nameI18n: Translations | null;
	week: number;
	count: number;
	verified: number;
}

/**
 * The grouped query behind countIncidentsByWeek, unexecuted (a test asks SQLite for its plan):
 * counted incidents (not retracted, not rejected) per zone and UTC week. Weeks start on a whole
 * hour, so every hour of the chart but the one holding `now` is whole and read from incident_hourly
 * (at most 168 rows a zone and week, however many incidents); that last hour, which is in the
 * current week, is read exactly from the occurred_at range of the incidents index. With
 * `zoneSlugs`, only those zones' incidents (a situation page's).
 */
export function incidentsByWeekQuery(db: Db, now: Date, weeks = CHART_WEEKS, zoneSlugs: ZoneSlugs = []) {
	const t = now.getTime();
	const from = weekStart(t) - (weeks - 1) * WEEK_MS;
	const nowHour = hourOf(t);
	const h = incidentHourly;
	// Constants are inlined, not bound: D1 may bind JS numbers as REAL, and `/` must stay integer division.
	const inline = (n: number) => sql.raw(String(n));
	const week = sql<number>`((${h.hour} - ${inline(MONDAY_MS / HOUR_MS)}) / ${inline(WEEK_MS / HOUR_MS)}) * ${inline(WEEK_MS)} + ${inline(MONDAY_MS)}`;
	const wholeHours = db
		.select({
			zoneKey: h.zoneKey,
			week: week.as("week"),
			count: sql<number>`sum(${h.n})`.as("count"),
			verified: sql<number>`sum(${h.verified})`.as("verified"),
		})
		.from(h)
		.where(and(gte(h.hour, hourOf(from)), lt(h.hour, nowHour), gt(h.n, 0), inZones(h.zoneKey, zoneSlugs)))
		.groupBy(h.zoneKey, sql`2`);
	const thisHour = db
		.select({
			zoneKey: zoneKeyOf.as("zone_key"),
			week: sql<number>`${inline(weekStart(t))}`.as("week"),
			count: sql<number>`count(*)`.as("count"),
			verified: sql<number>`sum(${incidents.verification} = 'verified')`.as("verified"),
		})
		.from(incidents)
		.where(and(occurredIn(nowHour * HOUR_MS, t, true), countable(), inZones(incidents.zoneId, zoneSlugs)))
		.groupBy(sql`1`);
	const parts = db.$with("parts").as(unionAll(wholeHours, thisHour));
	return db
		.with(parts)
		.select({
			zone: zones.slug,
			name: zones.name,
			nameI18n: zones.nameI18n,
			week: sql<number>`${parts.week}`.mapWith(Number),
			count: sql<number>`sum(${parts.count})`.mapWith(Number),
			verified: sql<number>`sum(${parts.verified})`.mapWith(Number),
		})
		.from(parts)
		.leftJoin(zones, eq(zones.id, parts.zoneKey))
		.groupBy(parts.zoneKey, sql`${parts.week}`);
}

/** Incidents per zone and week over the last `weeks` weeks, the current one included (only `zoneSlugs`' when named): one grouped query. */
export async function countIncidentsByWeek(db: Db, now: Date, weeks = CHART_WEEKS, zoneSlugs: ZoneSlugs = []): Promise<WeeklyCount[]> {
	return await incidentsByWeekQuery(db, now, weeks, zoneSlugs);
}

/** One zone's line of the chart: a count per week, oldest first. */
export interface ZoneSeries {
	zone: string | null;
	/** A zone, the incidents in none, or the quieter zones summed (their names are the page's to write). */
	group: "zone" | "none" | "other";
	name: string;
	nameI18n: Translations | null;
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
			series = {
				zone: row.zone,
				group: row.zone ? "zone" : "none",
				name: row.zone ? (row.name ?? row.zone) : NO_ZONE,
				nameI18n: row.nameI18n,
				counts: new Array<number>(weeks).fill(0),
				total: 0,
			};
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
		const other: ZoneSeries = {
			zone: null,
			group: "other",
			name: OTHER,
			nameI18n: null,
			counts: starts.map((_, i) => rest.reduce((n, s) => n + (s.counts[i] ?? 0), 0)),
			total: 0,
		};
		other.total = other.counts.reduce((a, b) => a + b, 0);
		zonesOut = [...sorted.slice(0, maxZones - 1), other];
	}
	return { weeks: starts, zones: zonesOut, total, verified, verifiedShare: total > 0 ? verified / total : null };
}
