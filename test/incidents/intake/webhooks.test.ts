import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { incidents, receipts } from "../../../worker/db/schema";
import { db } from "../../support/db";
import { call, problem, uniqueSlug } from "../../support/http";
import { createSource, deliver, envelope, incident, msgId } from "../../support/intake";

const incidentsOf = (sourceId: number) => db.select().from(incidents).where(eq(incidents.sourceId, sourceId));

describe("POST /webhooks/:source", () => {
	it("accepts a message signed by the standardwebhooks library and stores the incident", async () => {
		const s = await createSource();
		const notes = '=HYPERLINK("x") <b>bold</b>';
		const item = incident({ latitude: 33.2, longitude: 40.9, notes });
		const res = await deliver(s.slug, s.secret, envelope(item));
		expect(res.status).toBe(202);
		const body = (await res.json()) as { accepted: number; duplicates: number; ids: number[] };
		expect(body).toMatchObject({ accepted: 1, duplicates: 0 });
		const rows = await incidentsOf(s.id);
		expect(rows.map((r) => r.id)).toEqual(body.ids);
		expect(rows[0]).toMatchObject({ externalId: item.external_id, eventType: "Battles", verification: "unverified", occurredPrecision: "day", notes });
		expect(rows[0]?.occurredAt.toISOString()).toBe("2025-08-20T00:00:00.000Z");
	});

	it("rejects a tampered body, a wrong secret, a stale or future timestamp and missing headers with 401, writing nothing", async () => {
		const s = await createSource();
		const other = await createSource();
		const item = incident();
		const payload = JSON.stringify(envelope(item));
		const signedElsewhere = (await import("standardwebhooks")).Webhook;
		const id = msgId();
		const now = new Date();
		const sig = new signedElsewhere(s.secret).sign(id, now, payload);
		const headers = {
			"content-type": "application/json",
			"webhook-id": id,
			"webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
			"webhook-signature": sig,
		};

		await problem(await call(`/webhooks/${s.slug}`, { method: "POST", body: payload.replace("Battles", "Riots"), headers }), 401);
		await problem(await deliver(s.slug, other.secret, envelope(item)), 401);
		await problem(await deliver(s.slug, s.secret, envelope(item), { at: new Date(Date.now() - 6 * 60_000) }), 401);
		await problem(await deliver(s.slug, s.secret, envelope(item), { at: new Date(Date.now() + 6 * 60_000) }), 401);
		await problem(await call(`/webhooks/${s.slug}`, { method: "POST", body: payload, headers: { "content-type": "application/json" } }), 401);
		expect(await incidentsOf(s.id)).toEqual([]);
		expect(await db.select().from(receipts).where(eq(receipts.sourceId, s.id))).toEqual([]);
	});

	it("accepts any of several space-separated signatures (a sender mid-rotation)", async () => {
		const s = await createSource();
		const other = await createSource();
		const { Webhook } = await import("standardwebhooks");
		const id = msgId();
		const at = new Date();
		const body = JSON.stringify(envelope(incident()));
		const sigs = `${new Webhook(other.secret).sign(id, at, body)} ${new Webhook(s.secret).sign(id, at, body)}`;
		const res = await call(`/webhooks/${s.slug}`, {
			method: "POST",
			body,
			headers: {
				"content-type": "application/json",
				"webhook-id": id,
				"webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
				"webhook-signature": sigs,
			},
		});
		expect(res.status).toBe(202);
	});

	it("answers a replay with the first answer and writes nothing; the same id with another body is 422", async () => {
		const s = await createSource();
		const id = msgId();
		const payload = envelope(incident());
		const first = await deliver(s.slug, s.secret, payload, { id });
		expect(first.status).toBe(202);
		const firstBody = await first.json();
		const before = await incidentsOf(s.id);

		const again = await deliver(s.slug, s.secret, payload, { id });
		expect(again.status).toBe(202);
		expect(await again.json()).toEqual(firstBody);
		expect(await incidentsOf(s.id)).toEqual(before);

		const changed = await deliver(s.slug, s.secret, envelope(incident()), { id });
		const p = await problem(changed, 422);
		expect(p.errors?.[0]?.path).toBe("/webhook-id");
		expect(await incidentsOf(s.id)).toEqual(before);
	});

	it("leaves exactly one incident after 50 concurrent deliveries of one webhook-id", async () => {
		const s = await createSource();
		const id = msgId();
		const body = JSON.stringify(envelope(incident()));
		const results = await Promise.all(Array.from({ length: 50 }, () => deliver(s.slug, s.secret, null, { id, body })));
		expect(results.map((r) => r.status)).toEqual(results.map(() => 202));
		const answers = await Promise.all(results.map((r) => r.json()));
		expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
		expect(await incidentsOf(s.id)).toHaveLength(1);
		const rows = await db
			.select()
			.from(receipts)
			.where(and(eq(receipts.sourceId, s.id), eq(receipts.webhookId, id)));
		expect(rows).toHaveLength(1);
		expect(rows[0]?.status).toBe(202);
	});

	it("answers 401 in the same words to a message not signed for the slug's source, whether unknown, deactivated or active; 403 only when signed", async () => {
		const s = await createSource();
		const stranger = await createSource();
		const unknown = await problem(await deliver(uniqueSlug("no-such-source"), stranger.secret, envelope(incident())), 401);
		const active = await problem(await deliver(s.slug, stranger.secret, envelope(incident())), 401);
		expect((await call(`/api/sources/${s.id}`, { method: "PATCH", admin: true, json: { active: false } })).status).toBe(200);
		const inactive = await problem(await deliver(s.slug, stranger.secret, envelope(incident())), 401);
		expect(new Set([unknown, active, inactive].map((p) => JSON.stringify(p))).size).toBe(1);
		const unsigned = (slug: string) => call(`/webhooks/${slug}`, { method: "POST", json: envelope(incident()) });
		const bare = [
			await problem(await unsigned(uniqueSlug("nobody")), 401),
			await problem(await unsigned(s.slug), 401),
			await problem(await unsigned(stranger.slug), 401),
		];
		expect(new Set(bare.map((p) => JSON.stringify(p))).size).toBe(1);
		expect((await problem(await deliver(s.slug, s.secret, envelope(incident())), 403)).detail).toMatch(/deactivated/);
		expect(await incidentsOf(s.id)).toEqual([]);
	});

	it("refuses bodies over 1 MiB with 413", async () => {
		const s = await createSource();
		const big = JSON.stringify(envelope(incident({ notes: "x".repeat(1024 * 1024) })));
		await problem(await deliver(s.slug, s.secret, null, { body: big }), 413);
		expect(await incidentsOf(s.id)).toEqual([]);
	});
});

describe("the receiver's documentation", () => {
	it("documents the receiver, sources and exports in /openapi.json", async () => {
		const doc = (await (await call("/openapi.json")).json()) as { paths: Record<string, unknown> };
		for (const path of [
			"/webhooks/{source}",
			"/api/sources",
			"/api/sources/{id}/rotate",
			"/api/incidents",
			"/api/incidents/{id}",
			"/api/incidents/import",
			"/api/incidents.csv",
			"/api/incidents.geojson",
		]) {
			expect(Object.keys(doc.paths)).toContain(path);
		}
	});
});
