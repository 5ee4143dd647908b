// The ingest queue's consumer, fed batches as the Queues runtime delivers them: exactly once per
// webhook-id through redeliveries and D1 failures, per-source order, rejections against fresh data
// and the dead-letter queue, each shown on GET /api/sources/:id and /status.
import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { incidents, receipts } from "../../../worker/db/schema";
import { db } from "../../support/db";
import { faultyD1 } from "../../support/faulty-d1";
import { call } from "../../support/http";
import { createSource, envelope, incident, msgId } from "../../support/intake";
import { consume, postQueued, RecordingQueue } from "../../support/queue";
import { createZone } from "../../support/zones";

const rowsOf = async (sourceId: number) =>
	(await db.select().from(incidents).where(eq(incidents.sourceId, sourceId)))
		.map((r) => ({ ...r, id: undefined }))
		.sort((a, b) => (a.externalId < b.externalId ? -1 : 1));
const receiptsOf = (sourceId: number) => db.select().from(receipts).where(eq(receipts.sourceId, sourceId));
const sourceFailures = async (id: number) =>
	((await (await call(`/api/sources/${id}`, { admin: true })).json()) as { ingest_failures: Record<string, unknown> }).ingest_failures;
const statusOf = async () => (await (await call("/status")).json()) as { status: string; ingest: { rejected: number; dead_lettered: number } };

/** Posts each payload in queued mode and answers the messages the consumer would receive. */
async function queued(source: { slug: string; secret: string }, payloads: unknown[]): Promise<unknown[]> {
	const queue = new RecordingQueue();
	for (const p of payloads) expect((await postQueued(queue, source.slug, source.secret, p)).status).toBe(202);
	return queue.take();
}

describe("the ingest queue's consumer", () => {
	it("writes a batch in one pass with a receipt per message, and a redelivered batch (a crash after the commit) leaves the same rows", async () => {
		const source = await createSource();
		const items = Array.from({ length: 5 }, () => incident());
		const messages = await queued(
			source,
			items.map((i) => envelope(i)),
		);
		const first = await consume(messages);
		expect(first.acked).toEqual(first.ids);
		const rows = await rowsOf(source.id);
		expect(rows.map((r) => r.externalId).sort()).toEqual(items.map((i) => i.external_id).sort());
		const firstReceipts = await receiptsOf(source.id);
		expect(firstReceipts).toHaveLength(5);
		const again = await consume(messages, { attempts: 2 });
		expect([again.acked, again.retried]).toEqual([again.ids, []]);
		expect(await rowsOf(source.id)).toEqual(rows);
		expect(await receiptsOf(source.id)).toEqual(firstReceipts);
	});

	it("retries the whole batch when D1 drops the connection after committing it, and the retry writes nothing twice", async () => {
		const source = await createSource();
		const messages = await queued(source, [envelope(incident()), envelope(incident())]);
		const reads = 3; // sources, zones, receipts; the write is the 4th round trip
		const plan = { failAt: reads + 1, calls: 0, afterCommit: true };
		const crashed = await consume(messages, { database: faultyD1(env.DB, plan) });
		expect([crashed.acked, crashed.retried]).toEqual([[], crashed.ids]);
		const rows = await rowsOf(source.id);
		expect(rows).toHaveLength(2);
		const retry = await consume(messages, { attempts: 2 });
		expect(retry.acked).toEqual(retry.ids);
		expect(await rowsOf(source.id)).toEqual(rows);
		expect(await receiptsOf(source.id)).toHaveLength(2);
	});

	it("with D1 failing its n-th round trip, acknowledges what was written before and retries the rest in order; redelivered, every message is written once", async () => {
		for (let n = 1; n <= 7; n++) {
			const source = await createSource();
			const [a, b] = [incident(), incident()];
			// Reports, a retraction (its own D1 batch, after a read), then more reports.
			const messages = await queued(source, [envelope(a), envelope(b), envelope({ external_id: a.external_id }, "incident.retracted"), envelope(incident())]);
			const plan = { failAt: n, calls: 0 };
			const result = await consume(messages, { database: faultyD1(env.DB, plan) });
			const k = result.acked.length;
			expect(result.acked).toEqual(result.ids.slice(0, k));
			expect(result.retried).toEqual(result.ids.slice(k));
			const redelivered = await consume(messages.slice(k), { attempts: 2 });
			expect(redelivered.acked).toEqual(redelivered.ids);
			const rows = await rowsOf(source.id);
			expect(rows).toHaveLength(3);
			expect(rows.filter((r) => r.retractedAt !== null).map((r) => r.externalId)).toEqual([a.external_id]);
			expect(await receiptsOf(source.id)).toHaveLength(4);
		}
	});

	it("skips a message seen in an earlier batch or earlier in the same batch, and rejects a webhook-id reused with another body", async () => {
		const source = await createSource();
		const item = incident();
		const [message] = await queued(source, [envelope(item)]);
		await consume([message]);
		const once = await rowsOf(source.id);
		const duplicate = await consume([message, message], { attempts: 1 });
		expect(duplicate.acked).toEqual(duplicate.ids);
		expect(await rowsOf(source.id)).toEqual(once);
		const reused = { ...(message as Record<string, unknown>), body_sha256: "another-body", items: [{ ...item, fatalities: 9 }] };
		expect((await consume([reused])).acked).toHaveLength(1);
		expect(await rowsOf(source.id)).toEqual(once);
		expect(await sourceFailures(source.id)).toMatchObject({ rejected: 1, last_failure: { reason: "webhook_id_reused", kind: "rejected" } });
	});

	it("keeps each source's message order in a mixed batch: the later message about an external_id wins", async () => {
		const [s1, s2] = [await createSource(), await createSource()];
		const shared = "shared-ext-id";
		const version = (fatalities: number) => envelope(incident({ external_id: shared, fatalities }), "incident.updated");
		const one = await queued(s1, [version(1), version(2)]);
		const two = await queued(s2, [version(10), version(20), version(30)]);
		const mixed = [one[0], two[0], two[1], one[1], two[2]];
		expect((await consume(mixed)).acked).toHaveLength(5);
		expect((await rowsOf(s1.id)).map((r) => r.fatalities)).toEqual([2]);
		expect((await rowsOf(s2.id)).map((r) => r.fatalities)).toEqual([30]);
	});

	it("leaves an incident alone when an older message comes back after a newer one (a retry reordered them)", async () => {
		const source = await createSource();
		const ext = incident().external_id;
		const [older, newer] = await queued(source, [
			envelope(incident({ external_id: ext, fatalities: 1 })),
			envelope(incident({ external_id: ext, fatalities: 2 })),
		]);
		(older as { received_at: number }).received_at -= 1000;
		await consume([newer]);
		await consume([older], { attempts: 2 });
		expect((await rowsOf(source.id)).map((r) => r.fatalities)).toEqual([2]);
		expect(await receiptsOf(source.id)).toHaveLength(2);
	});

	it("rejects, against fresh data, a message whose zone was deleted or whose source was deactivated since it was queued: reason on the source, count on /status", async () => {
		const source = await createSource();
		const zone = await createZone();
		const before = await statusOf();
		const [named, plain] = await queued(source, [envelope(incident({ zone: zone.slug })), envelope(incident())]);
		expect((await call(`/api/zones/${zone.id}`, { method: "DELETE", admin: true })).status).toBe(200);
		const result = await consume([named, plain]);
		expect(result.acked).toEqual(result.ids);
		expect(await rowsOf(source.id)).toHaveLength(1);
		expect(await sourceFailures(source.id)).toMatchObject({
			rejected: 1,
			dead_lettered: 0,
			last_failure: { kind: "rejected", reason: "invalid", detail: expect.stringContaining(`/data/zone no zone "${zone.slug}"`) },
		});
		const [later] = await queued(source, [envelope(incident())]);
		expect((await call(`/api/sources/${source.id}`, { method: "PATCH", admin: true, json: { active: false } })).status).toBe(200);
		await consume([later]);
		expect(await rowsOf(source.id)).toHaveLength(1);
		expect(await sourceFailures(source.id)).toMatchObject({ rejected: 2, last_failure: { reason: "inactive" } });
		const after = await statusOf();
		expect(after.ingest.rejected).toBe(before.ingest.rejected + 2);
		// Redelivered, a rejected message is recorded once.
		await consume([named, later], { attempts: 2 });
		expect((await statusOf()).ingest.rejected).toBe(after.ingest.rejected);
	});

	it("records what the dead-letter queue keeps, once, unless its receipt shows it was written; /status counts it and is degraded", async () => {
		const source = await createSource();
		const before = await statusOf();
		const [lost, written] = await queued(source, [envelope(incident()), envelope(incident())]);
		await consume([written]);
		const dlq = await consume([lost, written, lost], { queue: "vigil-ingest-dlq" });
		expect(dlq.ackedAll).toBe(true);
		expect(await sourceFailures(source.id)).toMatchObject({
			rejected: 0,
			dead_lettered: 1,
			last_failure: { kind: "dead_lettered", reason: "retries_exhausted", webhook_id: (lost as { webhook_id: string }).webhook_id },
		});
		const after = await statusOf();
		expect(after.ingest.dead_lettered).toBe(before.ingest.dead_lettered + 1);
		expect(after.status).toBe("degraded");
	});

	it("retries a dead-letter batch whose write failed, recording nothing", async () => {
		const source = await createSource();
		const [lost] = await queued(source, [envelope(incident({ external_id: msgId() }))]);
		const result = await consume([lost], { queue: "vigil-ingest-dlq", database: faultyD1(env.DB, { failAt: 1, calls: 0 }) });
		expect(result.retriedAll).toBe(true);
		expect(await sourceFailures(source.id)).toMatchObject({ dead_lettered: 0 });
	});
});
