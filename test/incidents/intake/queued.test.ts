// Queued mode's producer side: POST /webhooks/:source with INGEST_QUEUE bound verifies and
// validates as a direct write does, then sends one message (never the secret) and answers 202
// {accepted, queued}; and the whole path through the real local queue to the consumer's rows.
import { env } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { incidents, receipts } from "../../../worker/db/schema";
import { MAX_QUEUED_BYTES } from "../../../worker/incidents/intake/queued";
import { db } from "../../support/db";
import { faultyD1 } from "../../support/faulty-d1";
import { call, problem } from "../../support/http";
import { createSource, envelope, incident, msgId } from "../../support/intake";
import { FailingQueue, postQueued, RecordingQueue } from "../../support/queue";
import { createZone } from "../../support/zones";

const rowsOf = (sourceId: number) => db.select().from(incidents).where(eq(incidents.sourceId, sourceId));

describe("POST /webhooks/:source with INGEST_QUEUE bound", () => {
	it("answers 202 {accepted, queued} after one send of the validated reports, writing nothing yet", async () => {
		const { slug, id, secret } = await createSource();
		const queue = new RecordingQueue();
		const zone = await createZone();
		const items = [incident({ zone: zone.slug }), incident()];
		const webhookId = msgId();
		const before = Date.now();
		const res = await postQueued(queue, slug, secret, envelope({ incidents: items }), { id: webhookId });
		expect(res.status).toBe(202);
		expect(await res.json()).toEqual({ accepted: 2, queued: true });
		expect(queue.sent).toHaveLength(1);
		const [sent] = queue.sent as Record<string, unknown>[];
		expect(sent).toMatchObject({ v: 1, source_id: id, webhook_id: webhookId, type: "incident.reported", items: items.map((i) => ({ ...i, tags: [] })) });
		expect(sent?.received_at).toBeGreaterThanOrEqual(before - 1000);
		// What travels is the validated message: never the secret, nor its key.
		expect(JSON.stringify(sent)).not.toContain(secret.slice(6));
		expect(await rowsOf(id)).toEqual([]);
		expect(
			await db
				.select()
				.from(receipts)
				.where(and(eq(receipts.sourceId, id), eq(receipts.webhookId, webhookId))),
		).toEqual([]);
	});

	it("costs no D1 round trip once the isolate knows the source and the zones", async () => {
		const { slug, secret } = await createSource();
		const queue = new RecordingQueue();
		// One binding across requests, as an isolate holds it, counting its round trips (failAt 0: none fails).
		const plan = { failAt: 0, calls: 0 };
		const database = faultyD1(env.DB, plan);
		expect((await postQueued(queue, slug, secret, envelope(incident()), { database })).status).toBe(202);
		const before = plan.calls;
		for (let i = 0; i < 3; i++) expect((await postQueued(queue, slug, secret, envelope(incident()), { database })).status).toBe(202);
		expect(plan.calls - before).toBe(0);
		expect(queue.sent).toHaveLength(4);
	});

	it("refuses as a direct write does, and sends nothing: 401 for a bad signature, 403 for a deactivated source, 422 for an unknown zone or a bad field", async () => {
		const queue = new RecordingQueue();
		const { slug, secret } = await createSource();
		await problem(await postQueued(queue, slug, "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", envelope(incident())), 401);
		const unknownZone = await problem(await postQueued(queue, slug, secret, envelope(incident({ zone: "no-such-zone-anywhere" }))), 422);
		expect(unknownZone.errors).toEqual([{ path: "/data/zone", message: 'no zone "no-such-zone-anywhere"' }]);
		await problem(await postQueued(queue, slug, secret, envelope(incident({ latitude: 95, longitude: 1 }))), 422);
		const off = await createSource();
		expect((await call(`/api/sources/${off.id}`, { method: "PATCH", admin: true, json: { active: false } })).status).toBe(200);
		await problem(await postQueued(queue, off.slug, off.secret, envelope(incident())), 403);
		expect(queue.sent).toEqual([]);
	});

	it("takes a zone created a moment ago through the same database, as a direct write does", async () => {
		const { slug, secret } = await createSource();
		const queue = new RecordingQueue();
		expect((await postQueued(queue, slug, secret, envelope(incident()))).status).toBe(202);
		const zone = await createZone();
		expect((await postQueued(queue, slug, secret, envelope(incident({ zone: zone.slug })))).status).toBe(202);
		expect(queue.sent).toHaveLength(2);
	});

	it("answers 503 with Retry-After when the queue refuses the send, writing nothing, and takes the same message once the queue is back", async () => {
		const { slug, id, secret } = await createSource();
		const payload = envelope(incident());
		const webhookId = msgId();
		const res = await postQueued(new FailingQueue(), slug, secret, payload, { id: webhookId });
		expect((await problem(res, 503)).detail).toMatch(/queue/i);
		expect(res.headers.get("retry-after")).toBe("5");
		expect(await rowsOf(id)).toEqual([]);
		const queue = new RecordingQueue();
		expect((await postQueued(queue, slug, secret, payload, { id: webhookId })).status).toBe(202);
		expect(queue.sent).toHaveLength(1);
	});

	it("writes a message too big for a queue message directly, answering with its ids", async () => {
		const { slug, id, secret } = await createSource();
		const queue = new RecordingQueue();
		const items = Array.from({ length: 60 }, () => incident({ notes: "x".repeat(2500) }));
		expect(JSON.stringify(items).length).toBeGreaterThan(MAX_QUEUED_BYTES);
		const res = await postQueued(queue, slug, secret, envelope({ incidents: items }));
		expect(res.status).toBe(202);
		const body = (await res.json()) as { accepted: number; ids: number[] };
		expect(body).toMatchObject({ accepted: 60, duplicates: 0 });
		expect(queue.sent).toEqual([]);
		expect((await rowsOf(id)).map((r) => r.id).sort((a, b) => a - b)).toEqual([...body.ids].sort((a, b) => a - b));
	});

	it("goes through the local queue to the consumer: the incident and its receipt are in D1 within seconds", async () => {
		const { slug, id, secret } = await createSource();
		const item = incident();
		const webhookId = msgId();
		const res = await postQueued(env.TEST_INGEST_QUEUE, slug, secret, envelope(item), { id: webhookId });
		expect(await res.json()).toEqual({ accepted: 1, queued: true });
		const deadline = Date.now() + 15_000;
		let rows = await rowsOf(id);
		while (rows.length === 0 && Date.now() < deadline) {
			await new Promise((r) => setTimeout(r, 100));
			rows = await rowsOf(id);
		}
		expect(rows.map((r) => r.externalId)).toEqual([item.external_id]);
		const [receipt] = await db
			.select()
			.from(receipts)
			.where(and(eq(receipts.sourceId, id), eq(receipts.webhookId, webhookId)));
		expect(receipt?.response).toEqual({ accepted: 1, duplicates: 0, ids: [rows[0]?.id] });
	});
});
