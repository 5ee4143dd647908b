import { and, eq, getTableColumns, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { Compiled } from "../db/compiled";
import { type ByExternalIds, keepingHourly } from "../db/hourly";
import { jsonArrays, jsonRowsOf } from "../db/json-rows";
import { type IncidentRow, incidents } from "../db/schema";
import type { FieldError } from "../http/errors";
import { type ZoneShape, zoneForPoint } from "../zones";
import { readEventDate } from "./acled";
import type { ColumnOf, FieldColumn } from "./columns";
import { INPUT_COLUMNS, type IncidentInputValue } from "./schema";

/** An incident to write, every column given (no database defaults), so a row can travel as a JSON array. */
export type NewIncident = Required<Omit<typeof incidents.$inferInsert, "id">>;

/**
 * What a re-sent external_id leaves as it was: the row's identity, when it was first reported, and
 * the admin's verdict and retraction. The upsert replaces every other column.
 */
const KEPT: readonly (keyof NewIncident)[] = ["sourceId", "externalId", "reportedAt", "verification", "verificationNote", "retractedAt"];

/** Input fields read into other columns than their own: the date into three, the zone slug into an id. */
const READ = ["event_date", "zone"] as const satisfies readonly (keyof IncidentInputValue)[];
type Copied = Exclude<keyof IncidentInputValue, (typeof READ)[number]>;
/** The other input fields, each as sent in its column (columns.ts names it), null when left out. */
type CopiedRow = { [F in Copied as ColumnOf<F>]: Exclude<IncidentInputValue[F], undefined> | (undefined extends IncidentInputValue[F] ? null : never) };

const read: readonly string[] = READ;
const COPIED = INPUT_COLUMNS.filter((c): c is FieldColumn<Copied> => !read.includes(c.field));

/** A row: the columns given, and each copied field as sent in its column (null when left out). */
function withCopied(given: Omit<NewIncident, keyof CopiedRow>, input: IncidentInputValue): NewIncident {
	// Assigned one by one into the literal: spreading a built object into it costs an order of magnitude more per row.
	const row: Record<string, unknown> = given;
	for (const { key, field } of COPIED) row[key] = input[field] ?? null;
	// COPIED lists every key of CopiedRow (same names, same rule); the compiler checks that each value fits its column.
	return row as Omit<NewIncident, keyof CopiedRow> & CopiedRow;
}

const columns = getTableColumns(incidents);
const incidentRows = jsonRowsOf(incidents);
/** Every column but the id, in the order a row's JSON array lists them. */
const WRITTEN = incidentRows.keys as (keyof NewIncident)[];
const onConflictSet = Object.fromEntries(WRITTEN.filter((k) => !KEPT.includes(k)).map((k) => [k, sql.raw(`excluded."${columns[k].name}"`)]));

/**
 * Turns a validated incident into a row: reads the date, resolves the zone slug, or places
 * coordinates in the zone that contains them. Errors are paths relative to the incident.
 */
export function toIncidentRow(
	input: IncidentInputValue,
	sourceId: number,
	zoneShapes: readonly ZoneShape[],
	now: Date,
): { row: NewIncident } | { errors: FieldError[] } {
	const date = readEventDate(input.event_date);
	let zoneId: number | null = null;
	if (input.zone !== undefined) {
		const zone = zoneShapes.find((z) => z.slug === input.zone);
		if (!zone) return { errors: [{ path: "/zone", message: `no zone "${input.zone}"` }] };
		zoneId = zone.id;
	} else if (input.latitude !== undefined && input.longitude !== undefined) {
		zoneId = zoneForPoint(zoneShapes, input.longitude, input.latitude)?.id ?? null;
	}
	return {
		row: withCopied(
			{
				sourceId,
				eventDate: date.eventDate,
				occurredPrecision: date.precision,
				occurredAt: date.occurredAt,
				reportedAt: now,
				updatedAt: now,
				zoneId,
				verification: "unverified",
				verificationNote: null,
				retractedAt: null,
				raw: input,
			},
			input,
		),
	};
}

/** The upsert of one JSON array of rows (see upsertStatements), built once per isolate; `newerOnly` leaves rows updated after the new one as they are. */
const upsertJsonOf = (newerOnly: boolean) =>
	new Compiled<"rows">((db) =>
		db
			.insert(incidents)
			.select(incidentRows.select(sql.placeholder("rows")))
			.onConflictDoUpdate({
				target: [incidents.sourceId, incidents.externalId],
				set: onConflictSet,
				...(newerOnly ? { setWhere: sql`excluded.updated_at >= ${incidents.updatedAt}` } : {}),
			})
			.returning({ id: incidents.id, externalId: incidents.externalId }),
	);
const upsertJson = { always: upsertJsonOf(false), newerOnly: upsertJsonOf(true) };

/** What an upsert returns of each row it wrote, as D1 hands it back. */
interface UpsertedRow {
	id: number;
	external_id: string;
}

/**
 * Upserts by (source, external_id). The rows travel as one JSON parameter that json_each reads
 * back, not as bound values: D1 binds at most 100 parameters (three incidents' worth), and one
 * JSON parameter carries a whole 500-incident message in one statement (a few past MAX_JSON_CHARS).
 * Values are converted as drizzle would bind them (instants to milliseconds, JSON columns to text).
 * `newerOnly` (the ingest queue's consumer, whose messages a retry can reorder) keeps an incident
 * whose updated_at is later than the row's: the message received last wins, as in a direct write.
 */
export function upsertStatements(db: Db, rows: readonly NewIncident[], { newerOnly = false } = {}): D1PreparedStatement[] {
	return jsonArrays(rows.map(incidentRows.encode)).map((part) => upsertJson[newerOnly ? "newerOnly" : "always"].bind(db, { rows: part }));
}

export interface WriteResult {
	ids: number[];
	created: number;
	updated: number;
}

/** The incidents a write of `rows` touches, by (source, external_id): every row of one write comes from one source. */
function touchedBy(rows: readonly NewIncident[]): ByExternalIds {
	const sourceId = rows[0]?.sourceId ?? 0;
	if (rows.some((r) => r.sourceId !== sourceId)) throw new Error("one write of incidents takes the rows of one source");
	return { sourceId, externalIds: rows.map((r) => r.externalId) };
}

/** Which of the touched incidents exist: first in a write's batch, so it sees them as they were before it. */
const existing = new Compiled<"sourceId" | "externalIds">((db) =>
	db
		.select({ id: incidents.id, externalId: incidents.externalId })
		.from(incidents)
		.where(
			and(
				eq(incidents.sourceId, sql.placeholder("sourceId")),
				inArray(incidents.externalId, sql`(SELECT value FROM json_each(${sql.placeholder("externalIds")}))`),
			),
		),
);

/** Reads what the upserts returned back into the order of `rows`; a row among `before` already existed. */
function collectWrites(rows: readonly NewIncident[], returned: readonly D1Result<UpsertedRow>[], before: ReadonlySet<string>): WriteResult {
	const byExternal = new Map<string, UpsertedRow>();
	for (const part of returned) for (const r of part.results) byExternal.set(r.external_id, r);
	const ids = rows.map((row) => {
		const hit = byExternal.get(row.externalId);
		if (!hit) throw new Error(`upsert returned no row for ${row.externalId}`);
		return hit.id;
	});
	const updated = rows.filter((row) => before.has(row.externalId)).length;
	return { ids, created: rows.length - updated, updated };
}

/**
 * Writes incidents in one D1 batch: all of them or, if any statement fails, none. The batch reads
 * which exist first (so "updated" counts rows that existed, however many writers race), and keeps
 * incident_hourly exact around the upserts.
 */
export async function writeIncidents(db: Db, rows: readonly NewIncident[]): Promise<WriteResult> {
	if (rows.length === 0) return { ids: [], created: 0, updated: 0 };
	const which = touchedBy(rows);
	const upserts = upsertStatements(db, rows);
	const [found, ...rest] = await db.$client.batch<UpsertedRow>([
		existing.bind(db, { sourceId: which.sourceId, externalIds: JSON.stringify(which.externalIds) }),
		...keepingHourly(db, which, upserts),
	]);
	const before = new Set((found?.results ?? []).map((r) => r.external_id));
	return collectWrites(rows, rest.slice(1, 1 + upserts.length), before);
}

/** What a retraction needs of an incident it names: its id, and whether it is retracted already. */
export type RetractTarget = Pick<IncidentRow, "id" | "externalId" | "retractedAt">;

/**
 * A source's incidents by external_id, as a retraction needs them (unknown ones are absent): one
 * query whatever the count, the ids travelling as one JSON parameter as in the upsert.
 */
export async function findByExternalIds(db: Db, sourceId: number, externalIds: readonly string[]): Promise<Map<string, RetractTarget>> {
	const rows = await db
		.select({ id: incidents.id, externalId: incidents.externalId, retractedAt: incidents.retractedAt })
		.from(incidents)
		.where(and(eq(incidents.sourceId, sourceId), inArray(incidents.externalId, sql`(SELECT value FROM json_each(${JSON.stringify(externalIds)}))`)));
	return new Map(rows.map((r) => [r.externalId, r]));
}

/** Statements that mark incidents retracted (the rows stay; counts and exports skip them), keeping incident_hourly. */
export function retractStatements(db: Db, ids: readonly number[], now: Date): D1PreparedStatement[] {
	const retract = db
		.update(incidents)
		.set({ retractedAt: now, updatedAt: now })
		.where(and(inArray(incidents.id, sql`(SELECT value FROM json_each(${JSON.stringify(ids)}))`), isNull(incidents.retractedAt)));
	return keepingHourly(db, { ids }, [retract]);
}
