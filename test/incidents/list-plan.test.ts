import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { encodeCursor } from "../../worker/http/pagination";
import { EXPORT_MAX_PAGE } from "../../worker/incidents/exports";
import { countable, listQuery, pageQuery } from "../../worker/incidents/queries";
import { IncidentQuery } from "../../worker/incidents/schema";
import { db } from "../support/db";

/** SQLite's plan for the list's real query (the drizzle SQL with its parameters). */
async function planOf(query: string): Promise<string> {
	const q = IncidentQuery.parse(Object.fromEntries(new URLSearchParams(query)));
	return explain(listQuery(db, q).toSQL());
}

async function explain({ sql, params }: { sql: string; params: unknown[] }): Promise<string> {
	const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
		.bind(...params)
		.all<{ detail: string }>();
	return plan.results.map((p) => p.detail).join("\n");
}

describe("the filtered incident list's query plan", () => {
	it("seeks a zone's incidents of one event type through one index, newest first, without a sort", async () => {
		// Through (zone_id, occurred_at) alone, a type the zone rarely or never has makes SQLite walk
		// every incident of the zone, so the page's cost would grow with the zone's history.
		const details = await planOf("zone=wadi-hauran&event_type=Battles&limit=50");
		expect(details).toMatch(/SEARCH incidents USING INDEX incidents_zone_type_occurred \(zone_id=\? AND event_type=\?\)/);
		expect(details).not.toMatch(/TEMP B-TREE/);
	});

	it("still reads a zone alone through its (zone_id, occurred_at) index in time order", async () => {
		const details = await planOf("zone=wadi-hauran&limit=50");
		expect(details).toMatch(/SEARCH incidents USING INDEX incidents_zone_(type_)?occurred \(zone_id=\?\)/);
		expect(details).not.toMatch(/TEMP B-TREE/);
	});

	// A cursor in the middle of a million rows: walking the index from the newest row to it would make
	// the 1,000th page cost a thousand first pages, and an export quadratic in its rows.
	const cursor = encodeCursor({ k: Date.parse("2025-06-01T00:00:00Z"), id: 500_000 });

	it("seeks a later page to its cursor through the (occurred_at, id) index instead of walking from the newest row", async () => {
		const details = await planOf(`limit=50&cursor=${cursor}`);
		expect(details).toMatch(/SEARCH incidents USING INDEX incidents_occurred \(/);
		expect(details).not.toMatch(/SCAN incidents/);
		expect(details).not.toMatch(/TEMP B-TREE/);
	});

	it("seeks each page of an export (counted incidents, no filter) to its cursor", async () => {
		const { k, id } = { k: Date.parse("2025-06-01T00:00:00Z"), id: 500_000 };
		const details = await explain(pageQuery(db, [countable()], { k, id }, EXPORT_MAX_PAGE).toSQL());
		expect(details).toMatch(/SEARCH incidents USING INDEX incidents_occurred \(/);
		expect(details).not.toMatch(/SCAN incidents/);
	});
});

describe("the incident page query", () => {
	it("leaves out the raw message, which no reader shows and which is most of a row's bytes", () => {
		const { sql } = pageQuery(db, [countable()], null, EXPORT_MAX_PAGE).toSQL();
		expect(sql).toMatch(/"incidents"\."event_type"/);
		expect(sql).not.toMatch(/"raw"/);
	});
});
