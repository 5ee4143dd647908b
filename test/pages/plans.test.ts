// A page's figures come from the same indexes as the whole instance's: its zone and tag filters
// narrow what those index ranges return, they never turn a read into a scan of a table.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { incidentCountsQuery } from "../../worker/incidents/queries";
import { incidentsByWeekQuery } from "../../worker/incidents/weekly";
import { mapPointsQuery } from "../../worker/status/queries";
import { situationsQuery } from "../../worker/status/situations";
import { db } from "../support/db";

const NOW = new Date("2031-03-10T12:34:56Z");

async function plan(query: { toSQL(): { sql: string; params: unknown[] } }): Promise<string[]> {
	const { sql, params } = query.toSQL();
	const rows = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
		.bind(...params)
		.all<{ detail: string }>();
	return rows.results.map((r) => r.detail);
}

describe("query plans with a page's filters", () => {
	it("counts a page's incidents from incident_hourly by hour, and the edge hours by zone and occurred_at", async () => {
		const details = await plan(incidentCountsQuery(db, NOW, ["wadi-hauran", "syrian-badia"]));
		expect(details).toContain("SEARCH incident_hourly USING INDEX sqlite_autoindex_incident_hourly_1 (hour>? AND hour<?)");
		// Each named zone's edge hour is one range of the (zone_id, occurred_at) index.
		expect(details.filter((d) => /\bincidents\b/.test(d))).toEqual(
			Array(3).fill("SEARCH incidents USING INDEX incidents_zone_occurred (zone_id=? AND occurred_at>? AND occurred_at<?)"),
		);
	});

	it("charts a page's weeks from incident_hourly, and the hour holding now by zone and occurred_at", async () => {
		const details = await plan(incidentsByWeekQuery(db, NOW, undefined, ["wadi-hauran", "syrian-badia"]));
		expect(details).toContain("SEARCH incident_hourly USING INDEX sqlite_autoindex_incident_hourly_1 (hour>? AND hour<?)");
		expect(details.filter((d) => /\bincidents\b/.test(d))).toEqual([
			"SEARCH incidents USING INDEX incidents_zone_occurred (zone_id=? AND occurred_at>? AND occurred_at<?)",
		]);
	});

	it("reads a page's map points from its zones' week of the (zone_id, occurred_at) index, never a scan", async () => {
		const details = await plan(mapPointsQuery(db, NOW, { tags: [], zones: ["wadi-hauran", "syrian-badia"] }));
		expect(details.filter((d) => /\bincidents\b/.test(d))).toEqual([
			"SEARCH incidents USING INDEX incidents_zone_occurred (zone_id=? AND occurred_at>? AND occurred_at<?)",
		]);
	});

	it("lists the pages for / reading milestones only through the (status, due_at) index", async () => {
		const details = await plan(situationsQuery(db, NOW));
		expect(details.filter((d) => /\b(milestones|m)\b/.test(d) && /^SCAN/.test(d))).toEqual([]);
	});
});
