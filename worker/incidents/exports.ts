import type { SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import type { Cursor } from "../http/pagination";
import { acledTimePrecision, CSV_COLUMNS, type CsvColumn, csvLine } from "./acled";
import { countable, filterConditions, type IncidentView, pageIncidents, positionOf } from "./queries";
import type { IncidentFiltersValue } from "./schema";

/** Rows fetched per D1 query while streaming; memory holds one page at a time. */
export const EXPORT_PAGE = 500;

const encoder = new TextEncoder();

/**
 * A byte stream that pages through the filtered incidents by keyset (newest first) as the
 * client reads: pull() fetches the next page only when the consumer wants more.
 */
function pagedStream(
	db: Db,
	filters: IncidentFiltersValue,
	head: string,
	render: (v: IncidentView, first: boolean) => string,
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
				const rows = await pageIncidents(db, where, cursor, EXPORT_PAGE);
				let chunk = "";
				for (const row of rows) {
					chunk += render(row, first);
					first = false;
				}
				const last = rows.at(-1);
				if (last) cursor = positionOf(last);
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

/** One incident as an ACLED-style CSV record (ACLED's columns first, Vigil's after). */
export function csvRecord({ incident: r, zone, source }: IncidentView): string {
	const values: Record<CsvColumn, string | number | null> = {
		event_id_cnty: r.externalId,
		event_date: r.eventDate,
		year: r.occurredAt.getUTCFullYear(),
		time_precision: acledTimePrecision(r.occurredPrecision),
		disorder_type: null,
		event_type: r.eventType,
		sub_event_type: r.subEventType,
		actor1: r.actor1,
		assoc_actor_1: null,
		inter1: null,
		actor2: r.actor2,
		assoc_actor_2: null,
		inter2: null,
		interaction: null,
		civilian_targeting: null,
		iso: null,
		region: null,
		country: r.country,
		admin1: r.admin1,
		admin2: null,
		admin3: null,
		location: r.location,
		latitude: r.latitude,
		longitude: r.longitude,
		geo_precision: null,
		source: r.reportSource,
		source_scale: null,
		notes: r.notes,
		fatalities: r.fatalities,
		tags: r.tags.join(";"),
		timestamp: Math.floor(r.updatedAt.getTime() / 1000),
		vigil_id: r.id,
		vigil_source: source,
		zone,
		source_url: r.sourceUrl,
		verification: r.verification,
		occurred_precision: r.occurredPrecision,
		occurred_at: r.occurredAt.toISOString(),
	};
	return csvLine(CSV_COLUMNS.map((c) => values[c]));
}

/** GET /api/incidents.csv: the header, then one record per incident, streamed. */
export function incidentsCsv(db: Db, filters: IncidentFiltersValue): ReadableStream<Uint8Array> {
	return pagedStream(db, filters, csvLine(CSV_COLUMNS), (v) => csvRecord(v), "");
}

/** One incident as an RFC 7946 Feature (a null geometry when it has no coordinates). */
export function geoJsonFeature({ incident: r, zone, source }: IncidentView) {
	return {
		type: "Feature" as const,
		id: r.id,
		geometry: r.latitude !== null && r.longitude !== null ? { type: "Point" as const, coordinates: [r.longitude, r.latitude] } : null,
		properties: {
			event_id_cnty: r.externalId,
			event_date: r.eventDate,
			occurred_precision: r.occurredPrecision,
			occurred_at: r.occurredAt.toISOString(),
			event_type: r.eventType,
			sub_event_type: r.subEventType,
			actor1: r.actor1,
			actor2: r.actor2,
			fatalities: r.fatalities,
			country: r.country,
			admin1: r.admin1,
			location: r.location,
			source: r.reportSource,
			source_url: r.sourceUrl,
			notes: r.notes,
			tags: r.tags,
			zone,
			vigil_source: source,
			verification: r.verification,
		},
	};
}

/** GET /api/incidents.geojson: an RFC 7946 FeatureCollection, streamed feature by feature. */
export function incidentsGeoJson(db: Db, filters: IncidentFiltersValue): ReadableStream<Uint8Array> {
	return pagedStream(db, filters, '{"type":"FeatureCollection","features":[', (v, first) => (first ? "" : ",") + JSON.stringify(geoJsonFeature(v)), "]}\n");
}
