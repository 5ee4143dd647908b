import { and, desc, eq, gt, gte, isNull, lt, lte, ne, type SQL, sql } from "drizzle-orm";
import { type SQLiteColumn, unionAll } from "drizzle-orm/sqlite-core";
import type { Db } from "../db/client";
import { keepingHourly } from "../db/hourly";
import { incidentHourly, incidents, sources, zones } from "../db/schema";
import { AppError } from "../http/errors";
import { type Cursor, decodeCursor, paginate } from "../http/pagination";
import { type IncidentView, SHOWN_COLUMNS } from "./columns";
import type { IncidentFiltersValue, IncidentQueryValue, UpdateIncidentInput } from "./schema";

/** What every read selects: an IncidentView. */
export const incidentView = { incident: SHOWN_COLUMNS, zone: zones.slug, source: sources.slug };

/** SQL conditions for the shared filters. Zone and source are slugs, matched through the joins. */
export function filterConditions(f: IncidentFiltersValue): SQL[] {
	const where: SQL[] = [];
	if (f.zone) where.push(eq(zones.slug, f.zone));
	if (f.source) where.push(eq(sources.slug, f.source));
	if (f.event_type) where.push(eq(incidents.eventType, f.event_type));
	if (f.sub_event_type) where.push(eq(incidents.subEventType, f.sub_event_type));
	if (f.verification) where.push(eq(incidents.verification, f.verification));
	if (f.since) where.push(gte(incidents.occurredAt, f.since));
	if (f.until) where.push(lt(incidents.occurredAt, f.until));
	if (f.bbox) {
		const [w, s, e, n] = f.bbox;
		where.push(gte(incidents.longitude, w), lte(incidents.longitude, e), gte(incidents.latitude, s), lte(incidents.latitude, n));
	}
	return where;
}

/** An incident counts (in totals, exports, surges and digests) unless it is retracted or rejected. */
export const countable = (): SQL => and(isNull(incidents.retractedAt), ne(incidents.verification, "rejected")) as SQL;

/**
 * Newest first, keyset on (occurred_at, id): pages neither skip nor repeat rows when others are inserted.
 * A row value, not `occurred_at < ? OR (occurred_at = ? AND id < ?)`: SQLite seeks an index to a
 * row-value bound, but cannot bound a range by an OR of bound parameters, so it would walk the index
 * from the newest row to the cursor, and a deep page or a long export would cost its depth.
 */
export function afterCursor(cursor: Cursor | null): SQL | undefined {
	if (!cursor) return undefined;
	if (typeof cursor.k !== "number")
		throw new AppError("bad_request", "The cursor is not one this API issued.", { errors: [{ path: "/cursor", message: "invalid cursor" }] });
	return sql`(${incidents.occurredAt}, ${incidents.id}) < (${sql.param(new Date(cursor.k), incidents.occurredAt)}, ${cursor.id})`;
}

/** One page of incidents matching the filters (keyset, newest first). */
export async function pageIncidents(db: Db, where: SQL[], cursor: Cursor | null, limit: number): Promise<IncidentView[]> {
	return pageQuery(db, where, cursor, limit);
}

/** The page's query, unexecuted, so a test can read its plan. */
export function pageQuery(db: Db, where: SQL[], cursor: Cursor | null, limit: number) {
	const after = afterCursor(cursor);
	return db
		.select(incidentView)
		.from(incidents)
		.innerJoin(sources, eq(sources.id, incidents.sourceId))
		.leftJoin(zones, eq(zones.id, incidents.zoneId))
		.where(and(...where, ...(after ? [after] : [])))
		.orderBy(desc(incidents.occurredAt), desc(incidents.id))
		.limit(limit);
}

export const positionOf = (v: IncidentView): Cursor => ({ k: v.incident.occurredAt.getTime(), id: v.incident.id });

/** The list's query for one page (limit + 1 rows, to know whether another page follows). */
export function listQuery(db: Db, q: IncidentQueryValue) {
	const where = filterConditions(q);
	if (!q.include_retracted) where.push(isNull(incidents.retractedAt));
	return pageQuery(db, where, decodeCursor(q.cursor), q.limit + 1);
}

/** GET /api/incidents: the filtered page and the cursor for the next. */
export async function listIncidents(db: Db, q: IncidentQueryValue) {
	return paginate(await listQuery(db, q), q.limit, positionOf);
}

/** One incident by id, retracted or not, or 404. */
export async function getIncident(db: Db, idText: string): Promise<IncidentView> {
	if (!/^\d{1,15}$/.test(idText)) throw new AppError("not_found", `No incident "${idText}".`);
	const [row] = await pageIncidents(db, [eq(incidents.id, Number(idText))], null, 1);
	if (!row) throw new AppError("not_found", `No incident "${idText}".`);
	return row;
}

/**
 * Sets an incident's verification (with the admin's note), in one batch that keeps incident_hourly.
 * The answer is the row as read plus the columns the update set: nothing is read after the write,
 * so a D1 failure after it cannot turn a saved change into a 503 that invites a retry.
 */
export async function verifyIncident(db: Db, idText: string, input: UpdateIncidentInput, now: Date): Promise<IncidentView> {
	const current = await getIncident(db, idText);
	const set = { verification: input.verification, verificationNote: input.verification_note?.trim() || null, updatedAt: now };
	const id = current.incident.id;
	await db.$client.batch(keepingHourly(db, { ids: [id] }, [db.update(incidents).set(set).where(eq(incidents.id, id))]));
	return { ...current, incident: { ...current.incident, ...set } };
}

const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

/** The incident_hourly key of an instant: whole hours since the epoch, rounded down (before 1970 too). */
export const hourOf = (ms: number): number => Math.floor(ms / HOUR_MS);

/** An incident's incident_hourly zone key: its zone id, or 0 for no zone. */
export const zoneKeyOf = sql<number>`coalesce(${incidents.zoneId}, 0)`;

/** Incidents that occurred in [from, to), or in [from, to] with `through`. */
export const occurredIn = (from: number, to: number, through = false) =>
	and(gte(incidents.occurredAt, new Date(from)), (through ? lte : lt)(incidents.occurredAt, new Date(to)));

/**
 * Zones named by slug, as a situation page names them; empty means every zone, incidents in none
 * included. An unknown slug matches nothing.
 */
export type ZoneSlugs = readonly string[];

/**
 * `key IN` the ids of the named zones (undefined, no condition, when none are named). The slugs go
 * as one JSON parameter, so a query that repeats this condition stays far below D1's 100 bound values.
 */
export function inZones(key: SQL | SQLiteColumn, slugs: ZoneSlugs): SQL | undefined {
	if (slugs.length === 0) return undefined;
	return sql`${key} IN (SELECT z.id FROM zones z WHERE z.slug IN (SELECT value FROM json_each(${JSON.stringify(slugs)})))`;
}

/** Counted incidents per zone key read straight from the incidents index, added to the last 24 h, the last 7 days (with the verified count), or both. */
function sliceOfIncidents(db: Db, range: SQL | undefined, into: { day: boolean; week: boolean }, zoneSlugs: ZoneSlugs) {
	const n = sql<number>`count(*)`;
	const none = sql<number>`0`;
	return db
		.select({
			zoneKey: zoneKeyOf.as("zone_key"),
			day: (into.day ? n : none).as("day"),
			week: (into.week ? n : none).as("week"),
			verified: (into.week ? sql<number>`sum(${incidents.verification} = 'verified')` : none).as("verified"),
		})
		.from(incidents)
		.where(and(range, countable(), inZones(incidents.zoneId, zoneSlugs)))
		.groupBy(sql`1`);
}

/**
 * The /status incident query, unexecuted (a test reads its plan). A window [now - 7 d, now] is whole
 * hours plus two partial ones: the whole hours are read from incident_hourly (kept by every write: db/hourly.ts), at
 * most 168 rows a zone however many incidents there are, and the partial hours (at now - 7 d, at
 * now - 24 h, and the hour holding now) from the occurred_at range of the covering
 * incidents_occurred_counts index. One statement, so one D1 round trip; the figures stay exact.
 * With `zoneSlugs`, only those zones' incidents (a situation page's).
 */
export function incidentCountsQuery(db: Db, now: Date, zoneSlugs: ZoneSlugs = []) {
	const t = now.getTime();
	const weekFrom = t - 7 * DAY_MS;
	const dayFrom = t - DAY_MS;
	// The first whole hour of each window, and the hour holding now (partial unless now ends it).
	const weekHour = Math.ceil(weekFrom / HOUR_MS);
	const dayHour = Math.ceil(dayFrom / HOUR_MS);
	const nowHour = hourOf(t);
	const h = incidentHourly;
	const wholeHours = db
		.select({
			zoneKey: h.zoneKey,
			day: sql<number>`sum(${h.n} * (${h.hour} >= ${dayHour}))`.as("day"),
			week: sql<number>`sum(${h.n})`.as("week"),
			verified: sql<number>`sum(${h.verified})`.as("verified"),
		})
		.from(h)
		.where(and(gte(h.hour, weekHour), lt(h.hour, nowHour), gt(h.n, 0), inZones(h.zoneKey, zoneSlugs)))
		.groupBy(h.zoneKey);
	const parts = db.$with("parts").as(
		unionAll(
			wholeHours,
			// The rest of the hour the week starts in: in the week, not the day.
			sliceOfIncidents(db, occurredIn(weekFrom, weekHour * HOUR_MS), { day: false, week: true }, zoneSlugs),
			// The rest of the hour the day starts in: its whole bucket is already in the week above.
			sliceOfIncidents(db, occurredIn(dayFrom, dayHour * HOUR_MS), { day: true, week: false }, zoneSlugs),
			sliceOfIncidents(db, occurredIn(nowHour * HOUR_MS, t, true), { day: true, week: true }, zoneSlugs),
		),
	);
	const last7d = sql<number>`sum(${parts.week})`.mapWith(Number);
	return db
		.with(parts)
		.select({
			zone: zones.slug,
			name: zones.name,
			nameI18n: zones.nameI18n,
			last24h: sql<number>`sum(${parts.day})`.mapWith(Number),
			last7d,
			verified: sql<number>`sum(${parts.verified})`.mapWith(Number),
		})
		.from(parts)
		.leftJoin(zones, eq(zones.id, parts.zoneKey))
		.groupBy(parts.zoneKey)
		.orderBy(desc(last7d), parts.zoneKey);
}

/**
 * /status figures: incidents that occurred in the last 24 h and 7 days, overall and by zone (busiest
 * first), and the verified share of the last 7 days; retracted and rejected incidents do not count.
 * Their cost does not grow with the number of incidents (see incidentCountsQuery). With
 * `zoneSlugs`, only those zones'.
 */
export async function incidentCounts(db: Db, now: Date, zoneSlugs: ZoneSlugs = []) {
	const rows = await incidentCountsQuery(db, now, zoneSlugs);
	const last7d = rows.reduce((n, r) => n + r.last7d, 0);
	const verified = rows.reduce((n, r) => n + r.verified, 0);
	return {
		last_24h: rows.reduce((n, r) => n + r.last24h, 0),
		last_7d: last7d,
		verified_share: last7d === 0 ? null : Math.round((verified / last7d) * 1000) / 1000,
		by_zone: rows.map((r) => ({ zone: r.zone, name: r.name, name_i18n: r.nameI18n, last_24h: r.last24h, last_7d: r.last7d })),
	};
}
