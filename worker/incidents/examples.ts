import type { z } from "@hono/zod-openapi";
import { CSV_COLUMNS, csvLine } from "./acled";
import type { IncidentJson } from "./columns";
import { csvRecord, geoJsonFeature } from "./exports";
import { acledCsv } from "./import";
import type { ImportResultJson, WebhookAccepted } from "./schema";

// Examples for the incident routes (webhooks, lists, verification, exports, the CSV import), typed
// by the schemas they illustrate; test/http/openapi.test.ts parses each one with its schema.
export const incidentExample = {
	id: 42,
	source: "newsroom-scraper",
	external_id: "IRQ38412",
	event_date: "2025-08-20",
	occurred_precision: "day",
	occurred_at: "2025-08-20T00:00:00.000Z",
	reported_at: "2025-08-20T14:05:12.000Z",
	updated_at: "2025-08-20T14:05:12.000Z",
	event_type: "Explosions/Remote violence",
	sub_event_type: "Remote explosive/landmine/IED",
	actor1: "Islamic State (Iraq)",
	actor2: "Military Forces of Iraq (2022-)",
	fatalities: 2,
	country: "Iraq",
	admin1: "Al Anbar",
	location: "Wadi Hauran",
	latitude: 33.52,
	longitude: 41.1,
	zone: "wadi-hauran",
	notes: "An IED planted by suspected IS militants hit an Iraqi army patrol in Wadi Hauran, killing 2 soldiers.",
	report_source: "Shafaq News; Rudaw",
	source_url: "https://example.org/reports/wadi-hauran-ied",
	tags: ["ied"],
	verification: "unverified",
	verification_note: null,
	retracted_at: null,
} satisfies IncidentJson;

const hamrinIncidentExample = {
	...incidentExample,
	id: 41,
	external_id: "IRQ38398",
	event_date: "2025-08-18",
	occurred_at: "2025-08-18T00:00:00.000Z",
	reported_at: "2025-08-19T06:40:00.000Z",
	updated_at: "2025-08-19T11:20:00.000Z",
	event_type: "Battles",
	sub_event_type: "Armed clash",
	actor1: "Popular Mobilization Forces",
	actor2: "Islamic State (Iraq)",
	fatalities: 1,
	admin1: "Diyala",
	location: "Hamrin Mountains",
	latitude: 34.35,
	longitude: 44.75,
	zone: null,
	notes: "PMF units clashed with an IS cell in the Hamrin mountains during a search operation; 1 militant killed.",
	report_source: "Kurdistan24",
	source_url: null,
	tags: [],
	verification: "verified",
	verification_note: "Matches the Security Media Cell statement of 19 August.",
} satisfies IncidentJson;

export const incidentListExample = { items: [incidentExample, hamrinIncidentExample], next_cursor: null } satisfies {
	items: IncidentJson[];
	next_cursor: string | null;
};

export const verifiedIncidentExample = {
	...incidentExample,
	updated_at: "2025-08-21T09:15:00.000Z",
	verification: "verified",
	verification_note: "Confirmed by two independent outlets.",
} satisfies IncidentJson;

export const webhookAcceptedExample = { accepted: 1, duplicates: 0, ids: [42] } satisfies z.infer<typeof WebhookAccepted>;

export const importResultExample = {
	created: 118,
	updated: 4,
	rejected: 1,
	errors: [
		{
			row: 37,
			event_id_cnty: "IRQ38455",
			reasons: ['sub_event_type: not a sub-event type of "Battles" (one of: Armed clash, Government regains territory, Non-state actor overtakes territory)'],
		},
	],
} satisfies ImportResultJson;

/** The body POST /api/incidents/import takes: ACLED's header row, then its records, written by the import's own mapping. */
export const importCsvExample = acledCsv([
	{
		external_id: incidentExample.external_id,
		event_date: "20 August 2025",
		event_type: incidentExample.event_type,
		sub_event_type: incidentExample.sub_event_type,
		actor1: incidentExample.actor1,
		actor2: incidentExample.actor2,
		country: incidentExample.country,
		admin1: incidentExample.admin1,
		location: incidentExample.location,
		latitude: incidentExample.latitude,
		longitude: incidentExample.longitude,
		fatalities: incidentExample.fatalities,
		notes: incidentExample.notes,
		source: incidentExample.report_source,
	},
]);

/** GET /api/incidents.csv: written by the export's own csvLine() and csvRecord(), so the quoting is real. */
export const incidentsCsvExample = csvLine(CSV_COLUMNS) + csvRecord(verifiedIncidentExample);

export const incidentsGeoJsonExample = { type: "FeatureCollection", features: [geoJsonFeature(verifiedIncidentExample)] };
