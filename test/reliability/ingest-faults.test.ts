// D1 failing in the middle of a webhook batch: the receiver answers 503 with Retry-After and
// leaves nothing of the batch behind (no incidents, no receipt that would turn the sender's
// retry into a replay of nothing); the sender's retry, re-signed later, is then taken in once.
import { env } from "cloudflare:test";
import { and, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { incidents, receipts } from "../../worker/db/schema";
import { db } from "../support/db";
import { type FaultPlan, faultyD1 } from "../support/faulty-d1";
import { problem } from "../support/http";
import { createSource, envelope, incident, msgId, postWith } from "../support/intake";

const MAX_ROUND_TRIPS = 20;
/** A batch message: its upsert and its receipt travel in one D1 batch. */
const BATCH_SIZE = 25;

/** The sender's attempt: signed at `at`, posted with `database` as DB. */
const post = (slug: string, secret: string, id: string, body: string, at: Date, database: D1Database) => postWith(database, slug, secret, id, body, at);

const written = (sourceId: number, externalIds: string[]) =>
	db
		.select({ id: incidents.id, externalId: incidents.externalId })
		.from(incidents)
		.where(and(eq(incidents.sourceId, sourceId), inArray(incidents.externalId, externalIds)));

const receiptRows = (sourceId: number, webhookId: string) =>
	db
		.select()
		.from(receipts)
		.where(and(eq(receipts.sourceId, sourceId), eq(receipts.webhookId, webhookId)));

describe("D1 failing during a webhook batch", () => {
	it("answers 503 + Retry-After at every round trip, leaves no partial batch, and the sender's re-signed retry succeeds once", async () => {
		const s = await createSource("fault");
		let failAt = 1;
		for (; failAt <= MAX_ROUND_TRIPS; failAt++) {
			const items = Array.from({ length: BATCH_SIZE }, () => incident());
			const externalIds = items.map((i) => i.external_id);
			const id = msgId();
			const body = JSON.stringify(envelope({ incidents: items }));
			const plan: FaultPlan = { failAt, calls: 0 };
			const first = await post(s.slug, s.secret, id, body, new Date(), faultyD1(env.DB, plan));
			if (plan.calls < failAt) {
				// The message was taken in before the n-th round trip: every fault point has been covered.
				expect(first.status, await first.clone().text()).toBe(202);
				break;
			}
			await problem(first, 503);
			expect(first.headers.get("retry-after")).toMatch(/^\d+$/);
			expect(await written(s.id, externalIds), `round trip ${failAt} left incidents behind`).toEqual([]);
			expect(await receiptRows(s.id, id), `round trip ${failAt} left a receipt behind`).toEqual([]);

			// The sender retries later: same id and body, a fresh timestamp and signature.
			const retry = await post(s.slug, s.secret, id, body, new Date(Date.now() + 1_000), env.DB);
			expect(retry.status, await retry.clone().text()).toBe(202);
			const answer = (await retry.json()) as { accepted: number; duplicates: number; ids: number[] };
			const rows = await written(s.id, externalIds);
			expect(rows).toHaveLength(BATCH_SIZE);
			const idOf = new Map(rows.map((r) => [r.externalId, r.id]));
			expect(answer).toEqual({ accepted: BATCH_SIZE, duplicates: 0, ids: externalIds.map((x) => idOf.get(x)) });
			expect((await receiptRows(s.id, id)).map((d) => [d.status, d.response])).toEqual([[202, answer]]);

			// Any further copy is a replay: the same answer, nothing written.
			const again = await post(s.slug, s.secret, id, body, new Date(Date.now() + 2_000), env.DB);
			expect([again.status, await again.json()]).toEqual([202, answer]);
			expect(await written(s.id, externalIds)).toHaveLength(BATCH_SIZE);
		}
		expect(failAt, "the receiver made more round trips than this test covers").toBeLessThanOrEqual(MAX_ROUND_TRIPS);
		expect(failAt).toBeGreaterThan(1);
	});

	it("answers the stored result when D1 committed the batch but the connection dropped before it said so", async () => {
		const s = await createSource("fault");
		const items = Array.from({ length: BATCH_SIZE }, () => incident());
		const externalIds = items.map((i) => i.external_id);
		const id = msgId();
		const body = JSON.stringify(envelope({ incidents: items }));
		// Warm this binding's snapshot, so the message's first round trip is its write.
		const plan: FaultPlan = { failAt: 0, calls: 0, afterCommit: true };
		const binding = faultyD1(env.DB, plan);
		expect((await post(s.slug, s.secret, msgId(), JSON.stringify(envelope(incident())), new Date(), binding)).status).toBe(202);
		plan.failAt = plan.calls + 1;
		const first = await post(s.slug, s.secret, id, body, new Date(), binding);
		expect(plan.calls).toBeGreaterThan(plan.failAt);
		expect(first.status, await first.clone().text()).toBe(202);
		const answer = (await first.json()) as { accepted: number; duplicates: number; ids: number[] };
		const rows = await written(s.id, externalIds);
		expect(rows).toHaveLength(BATCH_SIZE);
		expect(answer).toEqual({ accepted: BATCH_SIZE, duplicates: 0, ids: externalIds.map((x) => rows.find((r) => r.externalId === x)?.id) });
		const retry = await post(s.slug, s.secret, id, body, new Date(Date.now() + 1_000), env.DB);
		expect([retry.status, await retry.json()]).toEqual([202, answer]);
		expect(await written(s.id, externalIds)).toHaveLength(BATCH_SIZE);
	});
});
