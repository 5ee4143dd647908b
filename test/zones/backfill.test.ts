import { env } from "cloudflare:test";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { SWEEP as SWEEP_JOB } from "../../worker/cron/jobs";
import { keepingHourly } from "../../worker/db/hourly";
import { incidents, zones } from "../../worker/db/schema";
import { BACKFILL_PAGE, continueBackfill, REQUEST_BACKFILL_PAGES } from "../../worker/zones/backfill";
import { db } from "../support/db";
import { call, fire, problem, uniqueSlug } from "../support/http";
import { insertSource } from "../support/incident-rows";
import { square } from "../support/zones";

const HOUR = 3_600_000;

/**
 * `count` unzoned incidents of a new source spread inside the 1° square at (lon, lat), one
 * INSERT … SELECT from a counter, incident_hourly kept as every write keeps it.
 */
async function unzonedIncidents(count: number, lon: number, lat: number): Promise<{ sourceId: number }> {
	const source = await insertSource();
	const externalIds = Array.from({ length: count }, (_, i) => `bf-${i}`);
	const insert = db.$client
		.prepare(
			`INSERT INTO incidents (source_id, external_id, event_date, occurred_precision, occurred_at, reported_at, updated_at, event_type, latitude, longitude, verification)
			WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?2)
			SELECT ?1, 'bf-' || i, '2025-03-01', 'day', ?3 + (i % 50) * ${HOUR}, ?3, ?3, 'Battles', ?4 + 0.1 + (i % 89) / 100.0, ?5 + 0.1 + (i % 83) / 100.0, CASE i % 3 WHEN 0 THEN 'verified' ELSE 'unverified' END FROM n`,
		)
		.bind(source.id, count, Date.UTC(2025, 2, 1), lat, lon);
	await db.$client.batch(keepingHourly(db, { sourceId: source.id, externalIds }, [insert]));
	return { sourceId: source.id };
}

const zonesOf = async (sourceId: number) =>
	(
		await db.select({ zoneId: incidents.zoneId, n: sql<number>`count(*)` }).from(incidents).where(eq(incidents.sourceId, sourceId)).groupBy(incidents.zoneId)
	).map((r) => [r.zoneId, r.n]);

/** incident_hourly against a GROUP BY of the incidents it counts: equal after every write. */
async function expectHourlyExact() {
	const fromRows = await env.DB.prepare(
		`SELECT coalesce(zone_id, 0) AS zone_key, (occurred_at - ((occurred_at % 3600000) + 3600000) % 3600000) / 3600000 AS hour, count(*) AS n, sum(verification = 'verified') AS verified
		FROM incidents WHERE retracted_at IS NULL AND verification <> 'rejected' GROUP BY 1, 2 ORDER BY 1, 2`,
	).all();
	const kept = await env.DB.prepare("SELECT zone_key, hour, n, verified FROM incident_hourly WHERE n <> 0 ORDER BY 1, 2").all();
	expect(kept.results).toEqual(fromRows.results);
}

describe("a zone's backfill", () => {
	it("places what the request's budget allows, says it is not done, and the sweep places the rest", async () => {
		const count = REQUEST_BACKFILL_PAGES * BACKFILL_PAGE + 500;
		const { sourceId } = await unzonedIncidents(count, 60, 10);
		const slug = uniqueSlug("bf");
		const res = await call("/api/zones", { method: "POST", admin: true, json: { slug, name: "Backfilled", polygon: square(60, 10) } });
		expect(res.status).toBe(201);
		const zone = (await res.json()) as { id: number; backfill: { done: boolean; assigned: number } };
		expect(zone.backfill).toEqual({ done: false, assigned: REQUEST_BACKFILL_PAGES * BACKFILL_PAGE });
		expect(await zonesOf(sourceId)).toEqual([
			[null, 500],
			[zone.id, REQUEST_BACKFILL_PAGES * BACKFILL_PAGE],
		]);
		expect(((await (await call(`/api/zones/${slug}`)).json()) as { backfill: unknown }).backfill).toEqual({ done: false });
		await expectHourlyExact();

		await fire(SWEEP_JOB.cron, new Date());
		expect(await zonesOf(sourceId)).toEqual([[zone.id, count]]);
		expect(((await (await call(`/api/zones/${slug}`)).json()) as { backfill: unknown }).backfill).toEqual({ done: true });
		const [run] = await env.DB.prepare("SELECT counts FROM cron_runs ORDER BY id DESC LIMIT 1")
			.all<{ counts: string }>()
			.then((r) => r.results);
		expect(JSON.parse(run?.counts ?? "{}")).toMatchObject({ zone_incidents_assigned: 500, zone_backfills_pending: 0 });
		await expectHourlyExact();
	});

	it("loses nothing and redoes nothing when it stops between pages, or when two runners take the same page", async () => {
		const { sourceId } = await unzonedIncidents(2 * BACKFILL_PAGE + 10, 70, 10);
		// The zone as POST records it, before any page has run: as if the request died right after its INSERT.
		const [zone] = await db
			.insert(zones)
			.values({ slug: uniqueSlug("bf"), name: "Stopped", polygon: square(70, 10), backfillAfter: 0 })
			.returning();
		if (!zone) throw new Error("no zone");
		const first = await continueBackfill(db, zone, 1);
		expect(first).toEqual({ done: false, assigned: BACKFILL_PAGE, pages: 1 });
		// A second runner holding the same stale row: its page must write nothing.
		expect(await continueBackfill(db, zone, 1)).toMatchObject({ done: false, assigned: 0 });
		const now = await db.query.zones.findFirst({ where: eq(zones.id, zone.id) });
		if (!now) throw new Error("zone gone");
		expect(await continueBackfill(db, now, 10)).toEqual({ done: true, assigned: BACKFILL_PAGE + 10, pages: 2 });
		expect(await zonesOf(sourceId)).toEqual([[zone.id, 2 * BACKFILL_PAGE + 10]]);
		await expectHourlyExact();
	});

	it("leaves incidents already in a zone where they are", async () => {
		const { sourceId } = await unzonedIncidents(30, 80, 10);
		const first = (await (
			await call("/api/zones", { method: "POST", admin: true, json: { slug: uniqueSlug("bf"), name: "First", polygon: square(80, 10) } })
		).json()) as {
			id: number;
		};
		const second = await call("/api/zones", {
			method: "POST",
			admin: true,
			json: { slug: uniqueSlug("bf"), name: "Overlapping", polygon: square(79.5, 9.5, 2) },
		});
		expect(((await second.json()) as { backfill: unknown }).backfill).toEqual({ done: true, assigned: 0 });
		expect(await zonesOf(sourceId)).toEqual([[first.id, 30]]);
	});
});

describe("creating a zone again", () => {
	it("answers 200 with the zone as it stands when the body is the same, and 409 when it differs", async () => {
		const body = { slug: uniqueSlug("again"), name: "Retried", country: "Iraq", polygon: square(90, 10) };
		const created = await call("/api/zones", { method: "POST", admin: true, json: body });
		expect(created.status).toBe(201);
		const zone = (await created.json()) as { id: number };
		const retried = await call("/api/zones", { method: "POST", admin: true, json: body });
		expect(retried.status).toBe(200);
		expect(retried.headers.get("location")).toBe(`/api/zones/${zone.id}`);
		expect(await retried.json()).toMatchObject({ id: zone.id, slug: body.slug, name: "Retried", backfill: { done: true, assigned: 0 } });
		const other = await problem(await call("/api/zones", { method: "POST", admin: true, json: { ...body, name: "Another" } }), 409);
		expect(other.errors).toEqual([{ path: "/slug", message: "already taken" }]);
		await problem(await call("/api/zones", { method: "POST", admin: true, json: { ...body, polygon: square(91, 10) } }), 409);
		expect(await env.DB.prepare("SELECT count(*) AS n FROM zones WHERE slug = ?").bind(body.slug).first("n")).toBe(1);
	});

	it("finishes the backfill a killed create left behind when the create is sent again", async () => {
		const { sourceId } = await unzonedIncidents(50, 100, 10);
		const body = { slug: uniqueSlug("again"), name: "Killed", polygon: square(100, 10) };
		// What a create killed after its INSERT leaves: the zone, its backfill recorded, nothing placed.
		await db.insert(zones).values({ slug: body.slug, name: body.name, polygon: body.polygon, description: "", backfillAfter: 0 });
		const retried = await call("/api/zones", { method: "POST", admin: true, json: body });
		expect(retried.status).toBe(200);
		expect(((await retried.json()) as { backfill: unknown }).backfill).toEqual({ done: true, assigned: 50 });
		expect((await zonesOf(sourceId)).map(([, n]) => n)).toEqual([50]);
	});
});
