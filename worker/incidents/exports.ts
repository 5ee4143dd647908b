import type { Column, SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import type { Cursor } from "../http/pagination";
import { acledTimePrecision, CSV_COLUMNS, type CsvColumn, csvLine } from "./acled";
import { type IncidentJson, SHOWN, SHOWN_COLUMNS } from "./columns";
import { countable, filterConditions, pageQuery } from "./queries";
import type { IncidentFiltersValue } from "./schema";

/** Rows fetched per D1 query while streaming; memory holds one page at a time. */
export const EXPORT_PAGE = 500;

const encoder = new TextEncoder();

/**
 * A row of incidentView as drizzle's `.values()` answers it: the incident's shown columns in
 * SHOWN's order, then the zone's slug and the source's (exports.test.ts compares an export with the
 * JSON). An export reads its pages so, with no row object between D1 and the text.
 */
type ViewValues = readonly unknown[];

const ZONE_AT = SHOWN.length;
const SOURCE_AT = SHOWN.length + 1;
const OCCURRED_AT = SHOWN.findIndex((n) => n.key === "occurredAt");
const ID_AT = SHOWN.findIndex((n) => n.key === "id");

/** How each shown field's JSON value is read from ViewValues: as incidentJson shows it (columns.ts), decoded as drizzle decodes it. */
const VALUE_READERS = SHOWN.map(({ key, json }, at): readonly [keyof IncidentJson, (values: ViewValues) => unknown] => {
	if (json === "zone") return [json, (values) => values[ZONE_AT]];
	if (json === "source") return [json, (values) => values[SOURCE_AT]];
	const column: Column = SHOWN_COLUMNS[key];
	const instant = column.dataType === "date";
	return [
		json,
		(values) => {
			const value = values[at];
			if (value === null) return null;
			const decoded = column.mapFromDriverValue(value);
			return instant ? (decoded as Date).toISOString() : decoded;
		},
	];
});

/** The public JSON of an incident read as values: the same object incidentJson makes of the row. */
function jsonOfValues(values: ViewValues): IncidentJson {
	const out: Record<string, unknown> = {};
	for (const [name, read] of VALUE_READERS) out[name] = read(values);
	return out as IncidentJson;
}

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
	let first = true;
	let done = false;
	return new ReadableStream<Uint8Array>(
		{
			start(controller) {
				controller.enqueue(encoder.encode(head));
			},
			async pull(controller) {
				if (done) return;
				const rows: ViewValues[] = await pageQuery(db, where, cursor, EXPORT_PAGE).values();
				let chunk = "";
				for (const row of rows) {
					chunk += render(jsonOfValues(row), first);
					first = false;
				}
				const last = rows.at(-1);
				if (last) cursor = { k: last[OCCURRED_AT] as number, id: last[ID_AT] as number };
				if (rows.length < EXPORT_PAGE) {
					done = true;
					chunk += tail;
				}
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
