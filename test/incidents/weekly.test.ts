import { env } from "cloudflare:test";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CHART_WEEKS, countIncidentsByWeek, incidentsByWeekQuery, WEEK_MS, type WeeklyCount, weeklySeries, weekStart } from "../../worker/incidents/weekly";
import { db } from "../support/db";
import { insertIncident, insertSource, insertZone } from "../support/incident-rows";

const NOW = new Date("2025-11-12T15:30:00Z"); // a Wednesday
const MONDAY = Date.parse("2025-11-10T00:00:00Z");

describe("weekStart", () => {
	it("puts an instant in the week that began the Monday before, 00:00 UTC", () => {
		expect(weekStart(NOW.getTime())).toBe(MONDAY);
		expect(weekStart(MONDAY)).toBe(MONDAY);
		expect(weekStart(MONDAY - 1)).toBe(MONDAY - WEEK_MS);
	});

	it("always returns a Monday at or before the instant, less than a week before", () => {
		fc.assert(
			fc.property(fc.integer({ min: Date.parse("2000-01-01"), max: Date.parse("2100-01-01") }), (ms) => {
				const start = weekStart(ms);
				expect(new Date(start).getUTCDay()).toBe(1);
				expect(start % 86_400_000).toBe(0);
				expect(ms - start).toBeGreaterThanOrEqual(0);
				expect(ms - start).toBeLessThan(WEEK_MS);
			}),
		);
	});
});

describe("weeklySeries", () => {
	it("lays counts out oldest week first, ending with the current week", () => {
		const rows: WeeklyCount[] = [
			{ zone: "hamrin", name: "Hamrin mountains", nameI18n: null, week: MONDAY, count: 3, verified: 1 },
			{ zone: "hamrin", name: "Hamrin mountains", nameI18n: null, week: MONDAY - 2 * WEEK_MS, count: 2, verified: 2 },
			{ zone: null, name: null, nameI18n: null, week: MONDAY - 11 * WEEK_MS, count: 1, verified: 0 },
		];
		const s = weeklySeries(rows, NOW);
		expect(s.weeks).toHaveLength(CHART_WEEKS);
		expect(s.weeks.at(-1)).toBe(MONDAY);
		expect(s.weeks[0]).toBe(MONDAY - 11 * WEEK_MS);
		expect(s.zones.map((z) => z.name)).toEqual(["Hamrin mountains", "No zone"]);
		expect(s.zones[0]?.counts.slice(-3)).toEqual([2, 0, 3]);
		expect(s.zones[1]?.counts[0]).toBe(1);
		expect(s).toMatchObject({ total: 6, verified: 3, verifiedShare: 0.5 });
	});

	it("has no verified share when nothing is counted", () => {
		expect(weeklySeries([], NOW)).toMatchObject({ total: 0, verified: 0, verifiedShare: null, zones: [] });
	});

	it("folds the quietest zones into 'Other zones' past the limit", () => {
		const rows = [5, 4, 3, 2, 1].map((count, i) => ({ zone: `z${i}`, name: `Zone ${i}`, nameI18n: null, week: MONDAY, count, verified: 0 }));
		const s = weeklySeries(rows, NOW, CHART_WEEKS, 3);
		expect(s.zones.map((z) => [z.name, z.total])).toEqual([
			["Zone 0", 5],
			["Zone 1", 4],
			["Other zones", 6],
		]);
	});

	it("keeps every counted incident: totals add up whatever the rows and the zone limit", () => {
		const row = fc.record({
			zone: fc.option(fc.constantFrom("a", "b", "c", "d", "e", "f", "g", "h"), { nil: null }),
			week: fc.integer({ min: 0, max: CHART_WEEKS - 1 }),
			count: fc.integer({ min: 1, max: 50 }),
		});
		fc.assert(
			fc.property(fc.uniqueArray(row, { selector: (r) => `${r.zone}/${r.week}` }), fc.integer({ min: 1, max: 8 }), (raw, maxZones) => {
				const rows = raw.map((r) => ({
					zone: r.zone,
					name: r.zone,
					nameI18n: null,
					week: MONDAY - r.week * WEEK_MS,
					count: r.count,
					verified: Math.floor(r.count / 2),
				}));
				const s = weeklySeries(rows, NOW, CHART_WEEKS, maxZones);
				const sum = raw.reduce((n, r) => n + r.count, 0);
				expect(s.total).toBe(sum);
				expect(s.zones.reduce((n, z) => n + z.counts.reduce((a, b) => a + b, 0), 0)).toBe(sum);
				expect(s.zones.length).toBeLessThanOrEqual(maxZones);
				for (const z of s.zones) expect(z.total).toBe(z.counts.reduce((a, b) => a + b, 0));
			}),
		);
	});
});

describe("countIncidentsByWeek (D1)", () => {
	it("counts per zone and week, skipping retracted, rejected and out-of-window incidents", async () => {
		const [zone, source] = await Promise.all([insertZone("Wadi Hauran"), insertSource()]);
		const at = (ms: number) => ({ occurredAt: new Date(ms), zoneId: zone.id });
		await insertIncident(source.id, at(MONDAY + 3_600_000));
		await insertIncident(source.id, { ...at(MONDAY + 7_200_000), verification: "unverified" });
		await insertIncident(source.id, at(MONDAY - WEEK_MS + 1));
		await insertIncident(source.id, { ...at(MONDAY + 1), retractedAt: new Date(MONDAY + 2) });
		await insertIncident(source.id, { ...at(MONDAY + 1), verification: "rejected" });
		await insertIncident(source.id, at(MONDAY - CHART_WEEKS * WEEK_MS)); // the week before the window
		await insertIncident(source.id, at(NOW.getTime() + 60_000)); // after now

		const rows = (await countIncidentsByWeek(db, NOW)).filter((r) => r.zone === zone.slug);
		expect(rows.sort((a, b) => a.week - b.week)).toEqual([
			{ zone: zone.slug, name: "Wadi Hauran", nameI18n: null, week: MONDAY - WEEK_MS, count: 1, verified: 1 },
			{ zone: zone.slug, name: "Wadi Hauran", nameI18n: null, week: MONDAY, count: 2, verified: 1 },
		]);
	});

	it("reads whole hours from incident_hourly by hour, and incidents only for the current hour, through the occurred_at range", async () => {
		const { sql, params } = incidentsByWeekQuery(db, NOW).toSQL();
		const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
			.bind(...params)
			.all<{ detail: string }>();
		const details = plan.results.map((p) => p.detail);
		expect(details).toContain("SEARCH incident_hourly USING INDEX sqlite_autoindex_incident_hourly_1 (hour>? AND hour<?)");
		expect(details.filter((d) => /\bincidents\b/.test(d))).toEqual([
			"SEARCH incidents USING COVERING INDEX incidents_occurred_counts (occurred_at>? AND occurred_at<?)",
		]);
	});
});
