import type { SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import type { Cursor } from "../http/pagination";
import { acledTimePrecision, CSV_COLUMNS, type CsvColumn, csvLine } from "./acled";
import { type IncidentJson, incidentJsonOfValues, SHOWN, type ViewValues, valueIndex } from "./columns";
import { countable, filterConditions, pageQuery } from "./queries";
import type { IncidentFiltersValue } from "./schema";

/** The first page an export reads from D1: small, so that the first bytes leave at once. */
export const EXPORT_FIRST_PAGE = 500;

/**
 * The largest page. Each full page doubles the next up to this, so that a long export makes few
 * D1 queries: a Worker invocation may make 1,000 (Workers Paid; 50 on Free), and an export is one
 * invocation. Memory holds one page at a time.
 */
export const EXPORT_MAX_PAGE = 5_000;

/**
 * What a page's rendered text should stay under: D1 answers up to 50 MB, and an incident's text may
 * run to ~15,000 characters (its notes alone 10,000), so the page shrinks as its rows grow.
 */
export const EXPORT_PAGE_CHARS = 4_000_000;

/** The next page's size, after a full page of `size` rows rendered as `chars` characters. */
export function nextPageSize(size: number, chars: number): number {
	const perRow = Math.max(1, chars / size);
	return Math.max(1, Math.min(size * 2, EXPORT_MAX_PAGE, Math.floor(EXPORT_PAGE_CHARS / perRow)));
}

const encoder = new TextEncoder();

/** Where the keyset cursor is read from a page's last row. */
const OCCURRED_AT = valueIndex("occurredAt");
const ID_AT = valueIndex("id");

/**
 * A byte stream that pages through the filtered incidents by keyset (newest first) as the
 * client reads: pull() fetches the next page only when the consumer wants more.
 */
function pagedStream(
	db: Db,
	filters: IncidentFiltersValue,
	head: string,
	render: (i: IncidentJson, first: boolean) => string,
	tail: string,
): ReadableStream<Uint8Array> {
	const where: SQL[] = [...filterConditions(filters), countable()];
	let cursor: Cursor | null = null;
	let size = EXPORT_FIRST_PAGE;
	let first = true;
	let done = false;
	return new ReadableStream<Uint8Array>(
		{
			start(controller) {
				controller.enqueue(encoder.encode(head));
			},
			async pull(controller) {
				if (done) return;
				const rows: ViewValues[] = await pageQuery(db, where, cursor, size).values();
				let chunk = "";
				for (const row of rows) {
					chunk += render(incidentJsonOfValues(row), first);
					first = false;
				}
				const last = rows.at(-1);
				if (last) cursor = { k: last[OCCURRED_AT] as number, id: last[ID_AT] as number };
				if (rows.length < size) {
					done = true;
					chunk += tail;
				} else size = nextPageSize(size, chunk.length);
				if (chunk) controller.enqueue(encoder.encode(chunk));
				if (done) controller.close();
			},
		},
		{ highWaterMark: 1 },
	);
}

/** The JSON field each export column shows, by the names in columns.ts. */
const FIELD_OF = new Map(SHOWN.map((n) => [n.acled, n.json]));

/** ACLED columns computed from the incident. */
const COMPUTED: Partial<Record<CsvColumn, (i: IncidentJson) => number>> = {
	year: (i) => new Date(i.occurred_at).getUTCFullYear(),
	time_precision: (i) => acledTimePrecision(i.occurred_precision),
	timestamp: (i) => Math.floor(Date.parse(i.updated_at) / 1000),
};

/** How each CSV cell is read from the incident: computed, its field (a list `;`-separated), or empty. */
const CELLS = CSV_COLUMNS.map((column): ((i: IncidentJson) => string | number | null) => {
	const field = FIELD_OF.get(column);
	if (COMPUTED[column]) return COMPUTED[column];
	if (field === undefined) return () => null;
	return (i) => {
		const value = i[field];
		return Array.isArray(value) ? value.join(";") : value;
	};
});

/** One incident as an ACLED-style CSV record (ACLED's columns first, Vigil's after). */
export function csvRecord(i: IncidentJson): string {
	return csvLine(CELLS.map((cell) => cell(i)));
}

/** GET /api/incidents.csv: the header, then one record per incident, streamed. */
export function incidentsCsv(db: Db, filters: IncidentFiltersValue): ReadableStream<Uint8Array> {
	return pagedStream(db, filters, csvLine(CSV_COLUMNS), csvRecord, "");
}

/** GeoJSON properties: the export columns that show a field, but the id and coordinates, which are the Feature's own. */
const PROPERTIES = CSV_COLUMNS.flatMap((column) => {
	const field = FIELD_OF.get(column);
	return field === undefined || field === "id" || field === "latitude" || field === "longitude" ? [] : [[column, field] as const];
});

/** One incident as an RFC 7946 Feature (a null geometry when it has no coordinates). */
export function geoJsonFeature(i: IncidentJson) {
	const properties: Record<string, IncidentJson[keyof IncidentJson]> = {};
	for (const [name, field] of PROPERTIES) properties[name] = i[field];
	return {
		type: "Feature" as const,
		id: i.id,
		geometry: i.latitude !== null && i.longitude !== null ? { type: "Point" as const, coordinates: [i.longitude, i.latitude] } : null,
		properties,
	};
}

/** GET /api/incidents.geojson: an RFC 7946 FeatureCollection, streamed feature by feature. */
export function incidentsGeoJson(db: Db, filters: IncidentFiltersValue): ReadableStream<Uint8Array> {
	return pagedStream(db, filters, '{"type":"FeatureCollection","features":[', (i, first) => (first ? "" : ",") + JSON.stringify(geoJsonFeature(i)), "]}\n");
}
