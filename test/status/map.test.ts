import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { incidents } from "../../worker/db/schema";
import { MAP_POINT_CAP } from "../../worker/status/map-layout";
import { getMapData, mapPointsQuery } from "../../worker/status/queries";
import { db } from "../support/db";
import { call, uniqueSlug } from "../support/http";
import { insertIncident, insertIncidentRows, insertSource, insertZone } from "../support/incident-rows";
import { createZone, square } from "../support/zones";

const DAY = 86_400_000;
// Each test reads the map at a `now` of its own, years apart, so its 7-day window holds only its own incidents.
let year = 2100;
const ownNow = () => new Date(Date.UTC(year++, 5, 15));

describe("the map's data", () => {
	it("reads the week's incidents from the occurred_at index, newest first, without a sort or a scan", async () => {
		const { sql, params } = mapPointsQuery(db, new Date()).toSQL();
		const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
			.bind(...params)
			.all<{ detail: string }>();
		const details = plan.results.map((p) => p.detail).join("\n");
		expect(details).toMatch(/SEARCH incidents USING INDEX incidents_occurred \(occurred_at>\? AND occurred_at<\?\)/);
		expect(details).not.toMatch(/SCAN|TEMP B-TREE/);
		expect(sql).toMatch(/limit \?$/i);
		expect(params.at(-1)).toBe(MAP_POINT_CAP + 1);
	});

	it("gives the week's counted incidents with coordinates as points and counts those without", async () => {
		const now = ownNow();
		const source = await insertSource();
		const zone = await insertZone("Mapped zone");
		const at = (days: number) => new Date(now.getTime() - days * DAY);
		await insertIncident(source.id, { occurredAt: at(1), latitude: 33.5, longitude: 40.5, zoneId: zone.id });
		await insertIncident(source.id, { occurredAt: at(2), latitude: 33.3, longitude: 44.4 });
		await insertIncident(source.id, { occurredAt: at(3) });
		// Not counted: rejected, retracted, older than the week, after now.
		await insertIncident(source.id, { occurredAt: at(1), latitude: 34, longitude: 41, verification: "rejected" });
		await insertIncident(source.id, { occurredAt: at(1), latitude: 34, longitude: 41, retractedAt: now });
		await insertIncident(source.id, { occurredAt: at(8), latitude: 34, longitude: 41 });
		await insertIncident(source.id, { occurredAt: at(-1), latitude: 34, longitude: 41 });

		const data = await getMapData(db, now);
		expect(data.incidents).toEqual({
			points: [
				{ lon: 40.5, lat: 33.5, zone: zone.slug },
				{ lon: 44.4, lat: 33.3, zone: null },
			],
			withoutCoordinates: 1,
		});
		expect(data.zones).toContainEqual({ slug: zone.slug, name: "Mapped zone", polygon: null });
	});

	it(`says "too many" once the week holds more than ${MAP_POINT_CAP} incidents`, async () => {
		const now = ownNow();
		const source = await insertSource();
		const rows = (n: number, prefix: string) =>
			Array.from({ length: n }, (_, i) => ({
				sourceId: source.id,
				externalId: `${prefix}-${i}`,
				eventDate: "2100-01-01",
				occurredPrecision: "day" as const,
				occurredAt: new Date(now.getTime() - (i + 1) * 60_000),
				reportedAt: now,
				updatedAt: now,
				eventType: "Battles",
				latitude: 33 + i / 1000,
				longitude: 42,
			})) satisfies (typeof incidents.$inferInsert)[];
		await insertIncidentRows(rows(MAP_POINT_CAP, uniqueSlug("cap")));
		const atCap = await getMapData(db, now);
		expect("points" in atCap.incidents && atCap.incidents.points.length).toBe(MAP_POINT_CAP);
		await insertIncidentRows(rows(1, uniqueSlug("over")));
		expect((await getMapData(db, now)).incidents).toEqual({ tooMany: true });
	});
});

describe("GET / with the map", () => {
	it("draws the zones with outlines and this week's incidents, lists the zone without one, and keeps the zone table", async () => {
		const drawn = await createZone({ name: "Wadi <Hauran> & co", polygon: square(40, 33) });
		await createZone({ name: "Bare zone" });
		const source = await insertSource();
		await insertIncident(source.id, { occurredAt: new Date(Date.now() - DAY), latitude: 33.5, longitude: 40.5, zoneId: drawn.id });
		await insertIncident(source.id, { occurredAt: new Date(Date.now() - DAY), latitude: 36.3, longitude: 43.1 });

		const res = await call("/", { headers: { "cache-control": "no-cache" } });
		expect(res.status).toBe(200);
		const html = await res.text();
		expect(html).toMatch(/<svg viewBox="0 0 640 \d+" role="img" aria-labelledby="map-title map-desc" data-map="zones-incidents">/);
		expect(html).toContain("<title>Wadi &lt;Hauran&gt; &amp; co</title>");
		expect(html).toMatch(/<desc id="map-desc">\d+ zones? drawn[^<]*; \d+ incidents? in the last 7 days, \d+ drawn as points \(\d+ outside any zone\)/);
		expect(html).toMatch(/<p class="small" data-not-drawn="">Not drawn, no outline: [^<]*Bare zone/);
		expect(html).toMatch(/<circle class="pt" /);
		expect(html).toMatch(/<rect class="pt out" /);
		expect(html).toContain('<caption class="muted small">By zone</caption>');
		expect(html).not.toMatch(/\sstyle="/);
	});
});
