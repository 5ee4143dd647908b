// The JSON, the exports, the import and the webhook all take an incident's fields from the table
// (worker/incidents/columns.ts): these pin the names clients rely on, make a new column's place in
// the exports a decision, and check that what one side writes the other reads back.
import fc from "fast-check";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { ACLED_COLUMNS, CSV_COLUMNS, csvLine, VIGIL_COLUMNS } from "../../worker/incidents/acled";
import { Incident, type IncidentView, incidentJson, NOT_EXPORTED, SHOWN } from "../../worker/incidents/columns";
import { csvRecord, geoJsonFeature } from "../../worker/incidents/exports";
import { acledCsv, acledRowToInput } from "../../worker/incidents/import";
import { IncidentInput } from "../../worker/incidents/schema";
import { toIncidentRow } from "../../worker/incidents/write";
import { mixedText } from "../support/mixed-text";
import { propertyRuns } from "../support/runs";

const now = new Date("2026-01-02T03:04:05.678Z");
const zones = [{ id: 7, slug: "wadi-hauran", polygon: null }];
const sent = IncidentInput.parse({
	external_id: "IRQ1",
	event_date: "2025-08-20",
	event_type: "Battles",
	sub_event_type: "Armed clash",
	actor1: "Islamic State (Iraq)",
	actor2: "Military Forces of Iraq",
	country: "Iraq",
	admin1: "Al Anbar",
	location: "Rutba, west",
	latitude: 33.04,
	longitude: 40.28,
	fatalities: 2,
	notes: 'A "quoted" note,\nover two lines',
	source: "Shafaq News",
	source_url: "https://example.org/a",
	zone: "wadi-hauran",
	tags: ["ied", "border"],
});

function viewOf(input = sent): IncidentView {
	const written = toIncidentRow(input, 3, zones, now);
	if ("errors" in written) throw new Error(JSON.stringify(written.errors));
	return { incident: { id: 42, ...written.row }, zone: "wadi-hauran", source: "newsroom" };
}

describe("an incident's fields", () => {
	it("shows each column but the raw message under its JSON name, as the published schema says", () => {
		const json = incidentJson(viewOf());
		expect(Object.keys(json)).toEqual([
			"id",
			"source",
			"external_id",
			"event_date",
			"occurred_precision",
			"occurred_at",
			"reported_at",
			"updated_at",
			"event_type",
			"sub_event_type",
			"actor1",
			"actor2",
			"fatalities",
			"country",
			"admin1",
			"location",
			"latitude",
			"longitude",
			"zone",
			"notes",
			"report_source",
			"source_url",
			"tags",
			"verification",
			"verification_note",
			"retracted_at",
		]);
		expect(() => Incident.strict().parse(json)).not.toThrow();
		expect(json).toMatchObject({ source: "newsroom", zone: "wadi-hauran", report_source: "Shafaq News", occurred_at: "2025-08-20T00:00:00.000Z" });
	});

	it("exports each shown column under its ACLED name, or names it in NOT_EXPORTED with a reason", () => {
		const exported = (acled: string | null) => acled !== null && (CSV_COLUMNS as readonly string[]).includes(acled);
		const listed = (json: string) => json in NOT_EXPORTED;
		// A column in neither needs a decision: VIGIL_COLUMNS (acled.ts) at the end, or NOT_EXPORTED (columns.ts).
		expect(SHOWN.filter((n) => !exported(n.acled) && !listed(n.json)).map((n) => n.json)).toEqual([]);
		expect(SHOWN.filter((n) => exported(n.acled) && listed(n.json)).map((n) => n.json)).toEqual([]);
		// Vigil's own columns each name a shown column (ACLED's may be empty: Vigil lacks some).
		expect(VIGIL_COLUMNS.filter((c) => !SHOWN.some((n) => n.acled === c))).toEqual([]);
	});

	it("writes the CSV header clients parse: ACLED's 31 columns in ACLED's order, then Vigil's", () => {
		expect(ACLED_COLUMNS).toHaveLength(31);
		expect(CSV_COLUMNS).toEqual([...ACLED_COLUMNS, "vigil_id", "vigil_source", "zone", "source_url", "verification", "occurred_precision", "occurred_at"]);
	});

	it("stores a webhook's ACLED `source` as report_source, apart from the sending source", () => {
		const { incident } = viewOf();
		expect(incident).toMatchObject({ sourceId: 3, reportSource: "Shafaq News", zoneId: 7, externalId: "IRQ1", tags: ["ied", "border"] });
	});

	it("exports a record that the import reads back as the input that was sent", () => {
		const csv = csvLine(CSV_COLUMNS) + csvRecord(incidentJson(viewOf()));
		const [record] = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data;
		expect(record).toMatchObject({ event_id_cnty: "IRQ1", source: "Shafaq News", vigil_source: "newsroom", vigil_id: "42", tags: "ied;border" });
		expect(IncidentInput.parse(acledRowToInput(record ?? {}))).toEqual(sent);
	});

	it("names GeoJSON properties as the CSV does, with the id and coordinates left to the Feature", () => {
		const feature = geoJsonFeature(incidentJson(viewOf()));
		expect(feature).toMatchObject({ id: 42, geometry: { type: "Point", coordinates: [40.28, 33.04] } });
		expect(Object.keys(feature.properties)).toEqual([
			"event_id_cnty",
			"event_date",
			"event_type",
			"sub_event_type",
			"actor1",
			"actor2",
			"country",
			"admin1",
			"location",
			"source",
			"notes",
			"fatalities",
			"tags",
			"vigil_source",
			"zone",
			"source_url",
			"verification",
			"occurred_precision",
			"occurred_at",
		]);
		expect(feature.properties).toMatchObject({ source: "Shafaq News", vigil_source: "newsroom", tags: ["ied", "border"] });
	});

	it("gives any mix of Arabic, Kurdish and Latin text back byte for byte in the CSV and the GeoJSON (property)", () => {
		// A leading = + - @ is guarded against spreadsheet formulas (csv-injection.test.ts): not what this checks.
		// Tested once trimmed, as stored: a run drew " -a", stored as "-a", which the guard rightly marks.
		const text = mixedText.filter((t) => !/^[=+\-@]/.test(t.trim()));
		fc.assert(
			fc.property(text, text, text, (notes, location, actor1) => {
				// What is stored is the input as validated (trimmed): every format must give back exactly that.
				const input = IncidentInput.parse({ ...sent, notes, location, actor1 });
				const stored = [input.notes, input.location, input.actor1];
				const json = incidentJson(viewOf(input));
				const [record] = Papa.parse<Record<string, string>>(csvLine(CSV_COLUMNS) + csvRecord(json), { header: true, skipEmptyLines: true }).data;
				expect([record?.notes, record?.location, record?.actor1]).toEqual(stored);
				const { properties } = JSON.parse(JSON.stringify(geoJsonFeature(json))) as { properties: Record<string, unknown> };
				expect([properties.notes, properties.location, properties.actor1]).toEqual(stored);
			}),
			{ numRuns: propertyRuns(200) },
		);
	});

	it("writes inputs as the ACLED CSV the import reads", () => {
		const few = { external_id: "IRQ2", event_date: "2025", event_type: "Riots" } as const;
		const csv = acledCsv([sent, few]);
		expect(csv.split("\r\n")[0]?.split(",").slice(0, 3)).toEqual(["event_id_cnty", "event_date", "event_type"]);
		const records = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data;
		expect(records.map((r) => IncidentInput.parse(acledRowToInput(r)))).toEqual([sent, IncidentInput.parse(few)]);
	});
});
