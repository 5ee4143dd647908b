import { env } from "cloudflare:test";
import { eq, inArray } from "drizzle-orm";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { createDb } from "../../worker/db/client";
import { incidents } from "../../worker/db/schema";
import { ACLED_COLUMNS, CSV_COLUMNS, csvLine } from "../../worker/incidents/acled";
import { Incident } from "../../worker/incidents/columns";
import { csvRecord, EXPORT_FIRST_PAGE, geoJsonFeature, incidentsCsv, incidentsGeoJson } from "../../worker/incidents/exports";
import { IncidentFilters } from "../../worker/incidents/schema";
import { db } from "../support/db";
import { exportQueries } from "../support/export-pages";
import { type FaultPlan, faultyD1 } from "../support/faulty-d1";
import { call, problem } from "../support/http";
import { createSource, deliver, envelope, incident } from "../support/intake";
import { createZone } from "../support/zones";

async function sendAll(s: { slug: string; secret: string }, items: Record<string, unknown>[]) {
	const ids: number[] = [];
	for (let i = 0; i < items.length; i += 500) {
		const res = await deliver(s.slug, s.secret, envelope({ incidents: items.slice(i, i + 500) }));
		expect(res.status).toBe(202);
		ids.push(...((await res.json()) as { ids: number[] }).ids);
	}
	return ids;
}

describe("exports", () => {
	it("streams every incident of a filter as CSV with ACLED's header names and order, across pages of growing size", async () => {
		const s = await createSource();
		// Pages of 500, 1,000, then 2,000 that comes back with 7: the keyset crosses two changes of size.
		const n = EXPORT_FIRST_PAGE * 3 + 7;
		await sendAll(
			s,
			Array.from({ length: n }, (_, i) =>
				incident({ external_id: `c-${i}`, event_date: `2025-0${1 + (i % 9)}-1${i % 10}`, latitude: 33, longitude: -1.5 - (i % 3) }),
			),
		);
		const res = await call(`/api/incidents.csv?source=${s.slug}`);
		expect(res.status).toBe(200);
		expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
		const parsed = Papa.parse<Record<string, string>>(await res.text(), { header: true, skipEmptyLines: true });
		expect(parsed.errors).toEqual([]);
		expect(parsed.meta.fields).toEqual([...CSV_COLUMNS]);
		expect(parsed.meta.fields?.slice(0, ACLED_COLUMNS.length)).toEqual([...ACLED_COLUMNS]);
		expect(new Set(parsed.data.map((r) => r.event_id_cnty)).size).toBe(n);
		const sample = parsed.data.find((r) => r.event_id_cnty === "c-4");
		expect(sample).toMatchObject({
			event_type: "Battles",
			sub_event_type: "Armed clash",
			time_precision: "1",
			year: "2025",
			longitude: "-2.5",
			vigil_source: s.slug,
		});
	});

	it("neutralises CSV formulas and quotes commas, quotes and newlines in text", async () => {
		const s = await createSource();
		const notes = '=cmd|"/c calc"!A1, and "quotes"\nnew line';
		await sendAll(s, [incident({ external_id: "f-1", notes, actor1: "+SUM(1)", location: "@here", source: "-2+3" })]);
		const text = await (await call(`/api/incidents.csv?source=${s.slug}`)).text();
		const [row] = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data;
		expect(row).toMatchObject({ notes: `'${notes}`, actor1: "'+SUM(1)", location: "'@here", source: "'-2+3" });
		for (const cell of Object.values(row ?? {})) expect(cell).not.toMatch(/^[=+\-@]/);
	});

	it("serves an RFC 7946 FeatureCollection: Point [lon, lat], null geometry without coordinates", async () => {
		const s = await createSource();
		await sendAll(s, [incident({ external_id: "g-1", latitude: 33.25, longitude: 41.5 }), incident({ external_id: "g-2" })]);
		const res = await call(`/api/incidents.geojson?source=${s.slug}`);
		expect(res.headers.get("content-type")).toMatch(/^application\/geo\+json/);
		const fc = (await res.json()) as {
			type: string;
			features: { type: string; id: number; geometry: { type: string; coordinates: number[] } | null; properties: Record<string, unknown> }[];
		};
		expect(fc.type).toBe("FeatureCollection");
		expect(fc.features).toHaveLength(2);
		for (const f of fc.features) {
			expect(f.type).toBe("Feature");
			expect(Object.keys(f).sort()).toEqual(["geometry", "id", "properties", "type"]);
		}
		const point = fc.features.find((f) => f.properties.event_id_cnty === "g-1");
		expect(point?.geometry).toEqual({ type: "Point", coordinates: [41.5, 33.25] });
		expect(fc.features.find((f) => f.properties.event_id_cnty === "g-2")?.geometry).toBeNull();
	});

	it("writes each incident's fields as its JSON shows them, every one read straight from D1", async () => {
		const s = await createSource();
		const zone = await createZone();
		const [id] = await sendAll(s, [
			incident({
				event_date: "2025-08-20T06:30:00+03:00",
				actor1: "Islamic State (Iraq)",
				actor2: "Military Forces of Iraq (2022-)",
				fatalities: 3,
				latitude: 33.04,
				longitude: 40.28,
				zone: zone.slug,
				notes: 'A "quoted" note, over\ntwo lines',
				source: "Shafaq News",
				source_url: "https://example.org/a",
				tags: ["ied", "border"],
			}),
		]);
		const json = Incident.parse(await (await call(`/api/incidents/${id}`)).json());
		expect(json).toMatchObject({ zone: zone.slug, source: s.slug, tags: ["ied", "border"] });
		const csv = await (await call(`/api/incidents.csv?source=${s.slug}`)).text();
		expect(csv).toBe(csvLine(CSV_COLUMNS) + csvRecord(json));
		const geo = (await (await call(`/api/incidents.geojson?source=${s.slug}`)).json()) as { features: unknown[] };
		expect(geo.features).toEqual([JSON.parse(JSON.stringify(geoJsonFeature(json)))]);
	});

	it("honours filters and leaves out retracted and rejected incidents", async () => {
		const s = await createSource();
		const ids = await sendAll(s, [
			incident({ external_id: "x-in", event_date: "2025-08-10", latitude: 33, longitude: 41 }),
			incident({ external_id: "x-early", event_date: "2025-07-01", latitude: 33, longitude: 41 }),
			incident({ external_id: "x-far", event_date: "2025-08-10", latitude: 10, longitude: 10 }),
			incident({ external_id: "x-riot", event_date: "2025-08-10", latitude: 33, longitude: 41, event_type: "Riots", sub_event_type: "Mob violence" }),
			incident({ external_id: "x-rejected", event_date: "2025-08-11", latitude: 33, longitude: 41 }),
			incident({ external_id: "x-retracted", event_date: "2025-08-12", latitude: 33, longitude: 41 }),
		]);
		const patch = await call(`/api/incidents/${ids[4]}`, { method: "PATCH", admin: true, json: { verification: "rejected", verification_note: "Fabricated" } });
		expect(patch.status).toBe(200);
		expect((await deliver(s.slug, s.secret, envelope({ external_id: "x-retracted" }, "incident.retracted"))).status).toBe(202);

		const q = `source=${s.slug}&since=2025-08-01&until=2025-09-01&bbox=40,32,42,34&event_type=Battles`;
		const fc = (await (await call(`/api/incidents.geojson?${q}`)).json()) as { features: { properties: { event_id_cnty: string } }[] };
		expect(fc.features.map((f) => f.properties.event_id_cnty)).toEqual(["x-in"]);
		const csv = Papa.parse<Record<string, string>>(await (await call(`/api/incidents.csv?${q}`)).text(), { header: true, skipEmptyLines: true });
		expect(csv.data.map((r) => r.event_id_cnty)).toEqual(["x-in"]);
		const list = (await (await call(`/api/incidents?${q}`)).json()) as { items: { external_id: string }[] };
		expect(list.items.map((i) => i.external_id)).toEqual(["x-rejected", "x-in"]);
	});

	it("answers 400 for bad filters", async () => {
		await problem(await call("/api/incidents.csv?bbox=1,2,3"), 400);
		await problem(await call("/api/incidents.geojson?since=yesterday"), 400);
		await problem(await call("/api/incidents?event_type=Skirmish"), 400);
	});

	it("answers 400 naming the filter for a date that does not exist, on the list and both exports", async () => {
		for (const path of ["/api/incidents", "/api/incidents.csv", "/api/incidents.geojson"]) {
			for (const [name, value] of [
				["since", "2025-02-30"],
				["until", "2025-02-29T00:00:00Z"],
				["since", "2025-04-31T10:00:00+03:00"],
				["until", "2025-13-01"],
				["since", "2025-06-01T24:30:00Z"],
			] as const) {
				const body = await problem(await call(`${path}?${name}=${encodeURIComponent(value)}`), 400);
				expect(
					body.errors?.map((e) => e.path),
					`${path}?${name}=${value}`,
				).toEqual([`/${name}`]);
			}
		}
		// A leap day, a date and an instant with an offset are still read.
		expect((await call("/api/incidents?since=2024-02-29&until=2025-08-01T00:00:00%2B03:00")).status).toBe(200);
		expect((await call("/api/incidents.csv?since=2024-02-29t00:00:00z")).status).toBe(200);
	});
});

describe("an export's stream", () => {
	// A producer that runs ahead of a slow client holds the rest of the file in the isolate: memory
	// would grow with the export instead of staying one page.
	it.each([
		["CSV", incidentsCsv],
		["GeoJSON", incidentsGeoJson],
	])("%s reads the next page from D1 only when the reader has taken the last one", async (_, exportOf) => {
		const s = await createSource();
		const n = EXPORT_FIRST_PAGE * 3 + 7;
		await sendAll(
			s,
			Array.from({ length: n }, (_, i) => incident({ external_id: `p-${i}` })),
		);
		const plan: FaultPlan = { failAt: Number.POSITIVE_INFINITY, calls: 0 };
		const stream = exportOf(createDb(faultyD1(env.DB, plan)), IncidentFilters.parse({ source: s.slug }));
		const reader = stream.getReader();
		let chunks = 0;
		const pagesRead: number[] = [];
		for (;;) {
			// Give the stream every chance to run ahead before counting.
			await new Promise((resolve) => setTimeout(resolve, 20));
			pagesRead.push(plan.calls);
			const { done } = await reader.read();
			if (done) break;
			chunks++;
		}
		// Before the reader's n-th read, n pages at most: the head (no query) then one page per chunk.
		for (const [i, calls] of pagesRead.entries()) expect(calls).toBeLessThanOrEqual(i);
		expect(plan.calls).toBe(exportQueries(n));
		expect(plan.calls).toBe(3);
		expect(chunks).toBe(1 + plan.calls);
	});

	it.each([
		["CSV", incidentsCsv],
		["GeoJSON", incidentsGeoJson],
	])("%s fails the stream, not ends it short, when D1 refuses a later page (a query budget spent)", async (_, exportOf) => {
		const s = await createSource();
		await sendAll(
			s,
			Array.from({ length: EXPORT_FIRST_PAGE + 3 }, (_, i) => incident({ external_id: `b-${i}` })),
		);
		const plan: FaultPlan = { failAt: 2, calls: 0 };
		const reader = exportOf(createDb(faultyD1(env.DB, plan)), IncidentFilters.parse({ source: s.slug })).getReader();
		const read = async () => {
			for (;;) if ((await reader.read()).done) return "ended";
		};
		await expect(read()).rejects.toThrow();
		expect(plan.calls).toBe(2);
	});
});

describe("GET /api/incidents pagination", () => {
	it("pages newest first without repeats or gaps while new incidents arrive", async () => {
		const s = await createSource();
		await sendAll(
			s,
			Array.from({ length: 25 }, (_, i) => incident({ external_id: `p-${i}`, event_date: `2025-06-${String(1 + (i % 5)).padStart(2, "0")}` })),
		);
		const seen: number[] = [];
		let cursor: string | null = null;
		let round = 0;
		do {
			const page = (await (await call(`/api/incidents?source=${s.slug}&limit=7${cursor ? `&cursor=${cursor}` : ""}`)).json()) as {
				items: { id: number; occurred_at: string }[];
				next_cursor: string | null;
			};
			seen.push(...page.items.map((i) => i.id));
			cursor = page.next_cursor;
			// A newer incident arriving mid-way must not shift the pages.
			if (round++ === 1) await sendAll(s, [incident({ external_id: "p-new", event_date: "2025-06-30" })]);
		} while (cursor);
		expect(seen).toHaveLength(25);
		expect(new Set(seen).size).toBe(25);
		const rows = await db.select().from(incidents).where(inArray(incidents.id, seen));
		const order = seen.map((id) => rows.find((r) => r.id === id)?.occurredAt.getTime() ?? 0);
		expect(order).toEqual([...order].sort((a, b) => b - a));
		await problem(await call("/api/incidents?cursor=garbage"), 400);
		expect((await db.select().from(incidents).where(eq(incidents.externalId, "p-new"))).length).toBe(1);
	});
});
