import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { incidents } from "../../worker/db/schema";
import { ACLED_COLUMNS, csvLine } from "../../worker/incidents/acled";
import { SEED_INCIDENTS, seedIncidentsCsv } from "../../worker/seed/incidents";
import { db } from "../support/db";
import { call, problem } from "../support/http";
import { createSource } from "../support/intake";

const postCsv = (source: string, body: string, contentType = "text/csv") =>
	call(`/api/incidents/import?source=${source}`, { method: "POST", admin: true, body, headers: { "content-type": contentType } });

/** An ACLED export row: every ACLED column, in order. */
function acledRow(values: Partial<Record<(typeof ACLED_COLUMNS)[number], string | number>>) {
	const base = {
		event_date: "2025-08-20",
		year: 2025,
		time_precision: 1,
		disorder_type: "Political violence",
		event_type: "Battles",
		sub_event_type: "Armed clash",
		actor1: "Islamic State (Iraq)",
		inter1: "Rebel group",
		country: "Iraq",
		admin1: "Al Anbar",
		location: "Rutba",
		latitude: 33.04,
		longitude: 40.28,
		geo_precision: 2,
		source: "Shafaq News",
		source_scale: "National",
		notes: "Clash.",
		fatalities: 2,
		tags: "crowd size=no report",
		timestamp: 1756000000,
	};
	const row: Record<string, string | number | undefined> = { ...base, ...values };
	return csvLine(ACLED_COLUMNS.map((c) => row[c] ?? null));
}

describe("POST /api/incidents/import", () => {
	it("upserts an ACLED export by event_id_cnty and reports each rejected row with its reasons", async () => {
		const s = await createSource();
		const csv =
			csvLine(ACLED_COLUMNS) +
			acledRow({ event_id_cnty: "IRQ1" }) +
			acledRow({ event_id_cnty: "IRQ2", event_date: "21 August 2025", fatalities: 0 }) +
			acledRow({ event_id_cnty: "IRQ3", event_type: "Skirmish" }) +
			acledRow({ event_id_cnty: "IRQ4", event_date: "30 February 2025" }) +
			acledRow({ event_id_cnty: "IRQ5", fatalities: -3, latitude: 95 }) +
			acledRow({ event_id_cnty: "IRQ1", notes: "repeat" });
		const res = await postCsv(s.slug, csv);
		expect(res.status).toBe(200);
		const body = (await res.json()) as {
			created: number;
			updated: number;
			rejected: number;
			errors: { row: number; event_id_cnty: string; reasons: string[] }[];
		};
		expect(body).toMatchObject({ created: 2, updated: 0, rejected: 4 });
		expect(body.errors.map((e) => [e.row, e.event_id_cnty])).toEqual([
			[3, "IRQ3"],
			[4, "IRQ4"],
			[5, "IRQ5"],
			[6, "IRQ1"],
		]);
		expect(body.errors[2]?.reasons.join(" ")).toMatch(/fatalities.*latitude|latitude.*fatalities/);
		const rows = await db.select().from(incidents).where(eq(incidents.sourceId, s.id));
		expect(rows.map((r) => r.externalId).sort()).toEqual(["IRQ1", "IRQ2"]);
		expect(rows.find((r) => r.externalId === "IRQ2")).toMatchObject({ eventDate: "2025-08-21", occurredPrecision: "day", fatalities: 0 });

		const again = (await (await postCsv(s.slug, csvLine(ACLED_COLUMNS) + acledRow({ event_id_cnty: "IRQ1", fatalities: 5 }))).json()) as {
			created: number;
			updated: number;
		};
		expect(again).toMatchObject({ created: 0, updated: 1 });
		const [irq1] = await db.select().from(incidents).where(eq(incidents.externalId, "IRQ1"));
		expect(irq1?.fatalities).toBe(5);
		expect(irq1?.id).toBe(rows.find((r) => r.externalId === "IRQ1")?.id);
	});

	it("reports a malformed CSV record (too few fields) by row and still imports the rest", async () => {
		const s = await createSource();
		const csv = "event_id_cnty,event_date,event_type,fatalities\nOK1,2025-08-20,Riots,0\nBAD1,2025-08-20\nOK2,20 August 2025,Protests,0\n";
		const body = (await (await postCsv(s.slug, csv)).json()) as { created: number; rejected: number; errors: { row: number; reasons: string[] }[] };
		expect(body).toMatchObject({ created: 2, rejected: 1 });
		expect(body.errors[0]?.row).toBe(2);
		expect(body.errors[0]?.reasons.join(" ")).toMatch(/CSV: Too few fields/);
		const rows = await db.select().from(incidents).where(eq(incidents.sourceId, s.id));
		expect(rows.map((r) => r.externalId).sort()).toEqual(["OK1", "OK2"]);
	});

	it("imports the seed article's incidents with their precision", async () => {
		const s = await createSource();
		const body = (await (await postCsv(s.slug, seedIncidentsCsv())).json()) as { created: number; rejected: number };
		expect(body).toMatchObject({ created: SEED_INCIDENTS.length, rejected: 0 });
		const rows = await db.select().from(incidents).where(eq(incidents.sourceId, s.id));
		const jubouri = rows.find((r) => r.externalId === "shafaq-2025-idlib-al-jubouri");
		expect(jubouri).toMatchObject({ occurredPrecision: "month", eventDate: "2025-08", admin1: "Idlib", latitude: null });
		expect(rows.find((r) => r.externalId === "shafaq-2014-mosul-takeover")?.occurredPrecision).toBe("year");
	});

	it("refuses a file that is not UTF-8 (a lone surrogate's bytes in a cell) with 422 naming the row and column, writing nothing", async () => {
		const s = await createSource();
		const head = csvLine(ACLED_COLUMNS) + acledRow({ event_id_cnty: "U1" }) + acledRow({ event_id_cnty: "U2", notes: "line one\nline two" });
		const [before, after] = acledRow({ event_id_cnty: "U3", actor2: "BAD" }).split("BAD") as [string, string];
		const encode = (t: string) => new TextEncoder().encode(t);
		// ED A0 80 is how CESU-8 writes U+D800: TextDecoder would turn it into U+FFFD without a word.
		const body = new Uint8Array([...encode(head + before), 0xed, 0xa0, 0x80, ...encode(after)]);
		const res = await call(`/api/incidents/import?source=${s.slug}`, { method: "POST", admin: true, body, headers: { "content-type": "text/csv" } });
		const p = await problem(res, 422);
		expect(p.errors).toEqual([{ path: "/rows/3/actor2", message: expect.stringMatching(/UTF-8/) }]);
		expect(await db.select().from(incidents).where(eq(incidents.sourceId, s.id))).toEqual([]);
	});

	it("refuses a non-CSV body, missing ACLED columns, an unknown source and a missing token, writing nothing", async () => {
		const s = await createSource();
		await problem(await postCsv(s.slug, '{"a":1}', "application/json"), 415);
		const p = await problem(await postCsv(s.slug, "event_id_cnty,notes\nX1,hi\n"), 422);
		expect(p.errors?.map((e) => e.path)).toEqual(["/columns/event_date", "/columns/event_type"]);
		await problem(await postCsv("no-such-source", csvLine(ACLED_COLUMNS) + acledRow({ event_id_cnty: "Z1" })), 404);
		await problem(await call(`/api/incidents/import?source=${s.slug}`, { method: "POST", body: "x", headers: { "content-type": "text/csv" } }), 401);
		expect(await db.select().from(incidents).where(eq(incidents.sourceId, s.id))).toEqual([]);
	});
});
