import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { listQuery } from "../../worker/incidents/queries";
import { IncidentQuery } from "../../worker/incidents/schema";
import { db } from "../support/db";

/** SQLite's plan for the list's real query (the drizzle SQL with its parameters). */
async function planOf(query: string): Promise<string> {
	const q = IncidentQuery.parse(Object.fromEntries(new URLSearchParams(query)));
	const { sql, params } = listQuery(db, q).toSQL();
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
});
