// The receiver keeps each source and the zones per isolate, and checks that snapshot inside the
// write itself. These tests hold one D1 binding across requests (as an isolate does), change the
// source or the zones behind the snapshot's back, and check the next message sees the change.
import { env } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { incidents, receipts, sources } from "../../../worker/db/schema";
import { SOURCE_TRUST_MS } from "../../../worker/incidents/intake/snapshot";
import { db } from "../../support/db";
import { faultyD1 } from "../../support/faulty-d1";
import { call, problem, uniqueSlug } from "../../support/http";
import { createSource, envelope, incident, msgId, postWith } from "../../support/intake";

/** One D1 binding for the whole test, counting its round trips (it never fails: failAt 0). */
function isolateDb() {
	const plan = { failAt: 0, calls: 0 };
	return { binding: faultyD1(env.DB, plan), plan };
}

const post = (binding: D1Database, slug: string, secret: string, payload: unknown, id = msgId()) =>
	postWith(binding, slug, secret, id, JSON.stringify(payload));

const incidentsOf = (sourceId: number) => db.select().from(incidents).where(eq(incidents.sourceId, sourceId));
const square = (lon: number, lat: number) => ({
	type: "Polygon",
	coordinates: [
		[
			[lon, lat],
			[lon + 0.1, lat],
			[lon + 0.1, lat + 0.1],
			[lon, lat + 0.1],
			[lon, lat],
		],
	],
});

describe("the receiver's per-isolate snapshot of sources and zones", () => {
	it("takes a message in one D1 round trip once the source and the zones are known", async () => {
		const s = await createSource();
		const { binding, plan } = isolateDb();
		expect((await post(binding, s.slug, s.secret, envelope(incident()))).status).toBe(202);
		const before = plan.calls;
		const res = await post(binding, s.slug, s.secret, envelope(incident()));
		expect(res.status).toBe(202);
		expect(plan.calls - before).toBe(1);
		expect(await incidentsOf(s.id)).toHaveLength(2);
	});

	it("refuses with 403 and writes nothing once the source is deactivated, though the snapshot still says active", async () => {
		const s = await createSource();
		const { binding } = isolateDb();
		expect((await post(binding, s.slug, s.secret, envelope(incident()))).status).toBe(202);
		// Deactivated in D1 directly, as another isolate's PATCH would: this binding's snapshot is stale.
		await db.update(sources).set({ active: false }).where(eq(sources.id, s.id));
		const id = msgId();
		await problem(await post(binding, s.slug, s.secret, envelope(incident()), id), 403);
		expect(await incidentsOf(s.id)).toHaveLength(1);
		expect(
			await db
				.select()
				.from(receipts)
				.where(and(eq(receipts.sourceId, s.id), eq(receipts.webhookId, id))),
		).toEqual([]);
	});

	it("accepts the new secret at once after a rotation, the old one during its grace, and not after", async () => {
		const s = await createSource();
		const { binding } = isolateDb();
		expect((await post(binding, s.slug, s.secret, envelope(incident()))).status).toBe(202);
		const rotated = await call(`/api/sources/${s.id}/rotate`, { method: "POST", admin: true });
		const { secret } = (await rotated.json()) as { secret: string };
		expect((await post(binding, s.slug, secret, envelope(incident()))).status).toBe(202);
		expect((await post(binding, s.slug, s.secret, envelope(incident()))).status).toBe(202);
		// The grace cut short in D1: the snapshot still holds the old expiry, the write's guard does not.
		await db
			.update(sources)
			.set({ previousExpiresAt: new Date(Date.now() - 1000) })
			.where(eq(sources.id, s.id));
		await problem(await post(binding, s.slug, s.secret, envelope(incident())), 401);
		expect((await post(binding, s.slug, secret, envelope(incident()))).status).toBe(202);
		expect(await incidentsOf(s.id)).toHaveLength(4);
	});

	it("places an incident in a zone added after the snapshot was taken, and accepts that zone's slug", async () => {
		const s = await createSource();
		const { binding } = isolateDb();
		expect((await post(binding, s.slug, s.secret, envelope(incident()))).status).toBe(202);
		const slug = uniqueSlug("late-zone");
		// Far from any other test's polygons, so the new zone is the only one containing the point.
		const [lon, lat] = [-120 + Math.random() * 50, -50 + Math.random() * 20];
		const created = await call("/api/zones", { method: "POST", admin: true, json: { slug, name: "Late zone", polygon: square(lon, lat) } });
		expect(created.status).toBe(201);
		const zone = (await created.json()) as { id: number };
		const inside = await post(binding, s.slug, s.secret, envelope(incident({ longitude: lon + 0.05, latitude: lat + 0.05 })));
		expect(inside.status).toBe(202);
		const named = await post(binding, s.slug, s.secret, envelope(incident({ zone: slug })));
		expect(named.status).toBe(202);
		const ids = [...((await inside.json()) as { ids: number[] }).ids, ...((await named.json()) as { ids: number[] }).ids];
		const rows = await incidentsOf(s.id);
		expect(rows.filter((r) => ids.includes(r.id)).map((r) => r.zoneId)).toEqual([zone.id, zone.id]);
	});

	it("accepts the slug of a zone created after the snapshot was taken, in the first message that names it", async () => {
		const s = await createSource();
		const { binding } = isolateDb();
		expect((await post(binding, s.slug, s.secret, envelope(incident()))).status).toBe(202);
		const slug = uniqueSlug("named-zone");
		const created = await call("/api/zones", { method: "POST", admin: true, json: { slug, name: "Named zone" } });
		expect(created.status).toBe(201);
		const zone = (await created.json()) as { id: number };
		const res = await post(binding, s.slug, s.secret, envelope(incident({ zone: slug })));
		expect(res.status, await res.clone().text()).toBe(202);
		const { ids } = (await res.json()) as { ids: number[] };
		expect((await incidentsOf(s.id)).filter((r) => ids.includes(r.id)).map((r) => r.zoneId)).toEqual([zone.id]);
		await problem(await post(binding, s.slug, s.secret, envelope(incident({ zone: uniqueSlug("never-made") }))), 422);
	});

	it("answers refusals from the snapshot: a wrong signature, a deactivated source and an unknown slug cost no more D1 round trips than an accepted message", async () => {
		const s = await createSource();
		const stranger = await createSource();
		const off = await createSource();
		expect((await call(`/api/sources/${off.id}`, { method: "PATCH", admin: true, json: { active: false } })).status).toBe(200);
		const { binding, plan } = isolateDb();
		expect((await post(binding, s.slug, s.secret, envelope(incident()))).status).toBe(202);
		let before = plan.calls;
		expect((await post(binding, s.slug, s.secret, envelope(incident()))).status).toBe(202);
		const accepted = plan.calls - before;
		expect(accepted).toBe(1);

		/** D1 round trips of five refusals in a row: the first may read, the others must not. */
		const costOf = async (slug: string, secret: string, status: number) => {
			const start = plan.calls;
			for (let i = 0; i < 5; i++) await problem(await post(binding, slug, secret, envelope(incident())), status);
			return plan.calls - start;
		};
		expect(await costOf(s.slug, stranger.secret, 401)).toBe(0);
		expect(await costOf(uniqueSlug("nobody"), stranger.secret, 401)).toBeLessThanOrEqual(accepted);
		expect(await costOf(off.slug, stranger.secret, 401)).toBeLessThanOrEqual(accepted);
		expect(await costOf(off.slug, off.secret, 403)).toBeLessThanOrEqual(accepted);

		before = plan.calls;
		expect((await post(binding, s.slug, s.secret, envelope(incident()))).status).toBe(202);
		expect(plan.calls - before).toBe(1);
	});

	it("reads a refused source again once its entry is older than the trust period, so a change made elsewhere is seen", async () => {
		const s = await createSource();
		expect((await call(`/api/sources/${s.id}`, { method: "PATCH", admin: true, json: { active: false } })).status).toBe(200);
		const { binding } = isolateDb();
		await problem(await post(binding, s.slug, s.secret, envelope(incident())), 403);
		// Reactivated in D1 directly, as another isolate's PATCH would: this isolate's entry is fresh, so it stands.
		await db.update(sources).set({ active: true }).where(eq(sources.id, s.id));
		await problem(await post(binding, s.slug, s.secret, envelope(incident())), 403);
		vi.useFakeTimers({ toFake: ["Date"] });
		try {
			vi.setSystemTime(Date.now() + SOURCE_TRUST_MS + 1000);
			expect((await post(binding, s.slug, s.secret, envelope(incident()))).status).toBe(202);
		} finally {
			vi.useRealTimers();
		}
	});

	it("forgets that a slug was unknown as soon as this isolate creates a source with it", async () => {
		const { binding } = isolateDb();
		const slug = uniqueSlug("late-source");
		const stranger = await createSource();
		await problem(await post(binding, slug, stranger.secret, envelope(incident())), 401);
		const created = await call("/api/sources", { method: "POST", admin: true, json: { slug, name: "Late source" } });
		const { secret } = (await created.json()) as { secret: string };
		expect((await post(binding, slug, secret, envelope(incident()))).status).toBe(202);
	});
});
