import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { alerts, incidents, silences, zones } from "../../worker/db/schema";
import { db } from "../support/db";
import { call, problem, uniqueSlug } from "../support/http";
import { insertIncident, insertSource } from "../support/incident-rows";
import { createSource, deliver, envelope, incident } from "../support/intake";
import { createZone, square } from "../support/zones";

const at = new Date("2025-05-01T12:00:00Z");
const zoneRow = (id: number) => db.query.zones.findFirst({ where: eq(zones.id, id) });
const zoneOf = async (incidentId: number) => (await db.query.incidents.findFirst({ where: eq(incidents.id, incidentId) }))?.zoneId ?? null;
const patch = (idOrSlug: string | number, json: unknown) => call(`/api/zones/${idOrSlug}`, { method: "PATCH", admin: true, json });
const remove = (idOrSlug: string | number) => call(`/api/zones/${idOrSlug}`, { method: "DELETE", admin: true });

/** incident_hourly against a GROUP BY of the incidents it counts. */
async function expectHourlyExact() {
	const fromRows = await env.DB.prepare(
		`SELECT coalesce(zone_id, 0) AS zone_key, (occurred_at - ((occurred_at % 3600000) + 3600000) % 3600000) / 3600000 AS hour, count(*) AS n, sum(verification = 'verified') AS verified
		FROM incidents WHERE retracted_at IS NULL AND verification <> 'rejected' GROUP BY 1, 2 ORDER BY 1, 2`,
	).all();
	const kept = await env.DB.prepare("SELECT zone_key, hour, n, verified FROM incident_hourly WHERE n <> 0 ORDER BY 1, 2").all();
	expect(kept.results).toEqual(fromRows.results);
}

/** A delivered incident's zone id, through the webhook (and the isolate's cached zones). */
async function deliveredZone(source: { slug: string; secret: string }, longitude: number, latitude: number) {
	const res = await deliver(source.slug, source.secret, envelope(incident({ longitude, latitude })));
	expect(res.status).toBe(202);
	const { ids } = (await res.json()) as { ids: number[] };
	return zoneOf(ids[0] ?? 0);
}

describe("PATCH /api/zones/:id", () => {
	it("changes the fields given, clears those sent as null, and moves updated_at", async () => {
		const zone = await createZone({ country: "Iraq", admin1: "Al Anbar" });
		const res = await patch(zone.slug, { name: "Renamed", country: null, description: "Upper valley" });
		expect(res.status).toBe(200);
		expect(await res.json()).toMatchObject({
			id: zone.id,
			slug: zone.slug,
			name: "Renamed",
			country: null,
			admin1: "Al Anbar",
			description: "Upper valley",
			backfill: { done: true, assigned: 0 },
		});
		expect((await zoneRow(zone.id))?.revision).toBe(1);
	});

	it("places unzoned incidents inside a new polygon and leaves incidents already in a zone where they are", async () => {
		const source = await insertSource();
		const zone = await createZone({ polygon: square(20, 50) });
		const other = await createZone({ polygon: square(22, 50) });
		const kept = await insertIncident(source.id, { occurredAt: at, longitude: 20.5, latitude: 50.5, zoneId: zone.id });
		const elsewhere = await insertIncident(source.id, { occurredAt: at, longitude: 22.5, latitude: 50.5, zoneId: other.id });
		const unzoned = await insertIncident(source.id, { occurredAt: at, longitude: 22.2, latitude: 50.2 });
		const outside = await insertIncident(source.id, { occurredAt: at, longitude: 25.5, latitude: 50.5 });
		const res = await patch(zone.id, { polygon: square(21.5, 49.5, 2) });
		expect(((await res.json()) as { backfill: unknown }).backfill).toEqual({ done: true, assigned: 1 });
		expect([await zoneOf(kept.id), await zoneOf(elsewhere.id), await zoneOf(unzoned.id), await zoneOf(outside.id)]).toEqual([zone.id, other.id, zone.id, null]);
		await expectHourlyExact();
	});

	it("removes the polygon with null", async () => {
		const zone = await createZone({ polygon: square(30, 50) });
		expect(await (await patch(zone.id, { polygon: null })).json()).toMatchObject({ polygon: null, backfill: { done: true } });
	});

	it.each([
		[
			"a bowtie",
			{
				polygon: {
					type: "Polygon",
					coordinates: [
						[
							[0, 0],
							[2, 2],
							[2, 0],
							[0, 2],
							[0, 0],
						],
					],
				},
			},
			"/polygon/coordinates/0",
		],
		["a slug (zones keep theirs: filters name them)", { slug: "renamed-zone" }, "/"],
		["an empty body", {}, "/"],
		["an empty name", { name: " " }, "/name"],
	])("refuses %s with 422 and writes nothing", async (_name, body, path) => {
		const zone = await createZone({ polygon: square(40, 50) });
		const refused = await problem(await patch(zone.id, body), 422);
		expect(refused.errors?.map((e) => e.path)).toContain(path);
		expect(await zoneRow(zone.id)).toMatchObject({ revision: 0, polygon: square(40, 50) });
	});

	it("answers 404 for an unknown zone", async () => {
		await problem(await patch("no-such-zone", { name: "x" }), 404);
	});

	it("is seen by webhook intake at once: an incident in the new polygon goes to the zone", async () => {
		const source = await createSource();
		const zone = await createZone({ polygon: square(-60, -40) });
		expect(await deliveredZone(source, -59.5, -39.5)).toBe(zone.id); // the isolate now holds the zones
		expect((await patch(zone.id, { polygon: square(-50, -40) })).status).toBe(200);
		expect(await deliveredZone(source, -49.5, -39.5)).toBe(zone.id);
		expect(await deliveredZone(source, -59.5, -39.5)).toBeNull();
	});
});

describe("DELETE /api/zones/:id", () => {
	it("unzones its incidents (counts follow), keeps ledger rows without it, drops its ended silences, and answers the zone", async () => {
		const source = await insertSource();
		const zone = await createZone({ polygon: square(10, -50) });
		const inside = await insertIncident(source.id, { occurredAt: at, longitude: 10.5, latitude: -49.5, zoneId: zone.id });
		const [alert] = await db
			.insert(alerts)
			.values({ kind: "surge", zoneId: zone.id, recipient: "desk@example.org", dedupeKey: uniqueSlug("surge"), nextAttemptAt: at })
			.returning();
		const silence = (await (
			await call("/api/silences", { method: "POST", admin: true, json: { zone: zone.slug, until: "2099-01-01T00:00:00Z", reason: "quiet" } })
		).json()) as { id: number };
		expect((await call(`/api/silences/${silence.id}`, { method: "DELETE", admin: true })).status).toBe(200);

		const res = await remove(zone.slug);
		expect(res.status).toBe(200);
		expect(await res.json()).toMatchObject({ id: zone.id, slug: zone.slug, incidents_unassigned: 1 });
		expect(await zoneOf(inside.id)).toBeNull();
		expect(await db.query.alerts.findFirst({ where: eq(alerts.id, alert?.id ?? 0) })).toMatchObject({ kind: "surge", zoneId: null });
		expect(await db.query.silences.findFirst({ where: eq(silences.id, silence.id) })).toBeUndefined();
		await problem(await call(`/api/zones/${zone.slug}`), 404);
		await expectHourlyExact();
	});

	it("refuses with 409 listing the subscribers and active silences that name the zone, and deletes nothing", async () => {
		const zone = await createZone();
		const sub = (await (
			await call("/api/subscribers", { method: "POST", admin: true, json: { email: `${uniqueSlug("d")}@example.org`, zones: [zone.slug] } })
		).json()) as {
			id: number;
		};
		const silence = (await (
			await call("/api/silences", { method: "POST", admin: true, json: { zone: zone.slug, until: "2099-01-01T00:00:00Z", reason: "quiet" } })
		).json()) as { id: number };
		const refused = await problem(await remove(zone.id), 409);
		expect(refused.errors).toEqual([
			{ path: `/api/subscribers/${sub.id}`, message: "its zone filter names this zone" },
			{ path: `/api/silences/${silence.id}`, message: "mutes this zone until 2099-01-01T00:00:00.000Z" },
		]);
		expect(await zoneRow(zone.id)).toBeDefined();
	});

	it("is seen by webhook intake at once: an incident where the zone was gets no zone", async () => {
		const source = await createSource();
		const zone = await createZone({ polygon: square(-70, -40) });
		const keeper = await createZone({ polygon: square(-80, -40) });
		expect(await deliveredZone(source, -69.5, -39.5)).toBe(zone.id);
		expect((await remove(zone.id)).status).toBe(200);
		expect(await deliveredZone(source, -69.5, -39.5)).toBeNull();
		expect(await deliveredZone(source, -79.5, -39.5)).toBe(keeper.id);
	});

	it("answers 404 for an unknown zone", async () => {
		await problem(await remove("no-such-zone"), 404);
	});
});
