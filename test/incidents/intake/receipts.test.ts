// Webhook receipts are kept for replay answers for a week, then pruned by the sweep.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { receipts } from "../../../worker/db/schema";
import { pruneReceipts, RECEIPT_RETENTION_MS } from "../../../worker/incidents/intake/receipts";
import { sweepAt } from "../../support/alerts";
import { db } from "../../support/db";
import { FakeEmail } from "../../support/fake-email";
import { createSource, msgId } from "../../support/intake";

const HOUR = 3_600_000;

// Pruning takes every receipt older than the cutoff, whoever wrote it, so the counts below are
// exact only because each test dates its receipts in a year of its own (2001, 2000), long before
// any webhook's (stamped with today's clock), and prunes them in the same test.
describe("receipt retention", () => {
	it("pruneReceipts forgets receipts older than 7 days and keeps newer ones", async () => {
		const s = await createSource();
		const now = new Date("2001-05-01T00:00:00Z");
		const old = `old-${msgId()}`;
		const fresh = `fresh-${msgId()}`;
		await db.insert(receipts).values([
			{ sourceId: s.id, webhookId: old, bodySha256: "a", status: 202, response: {}, createdAt: new Date(now.getTime() - RECEIPT_RETENTION_MS - 1) },
			{ sourceId: s.id, webhookId: fresh, bodySha256: "b", status: 202, response: {}, createdAt: new Date(now.getTime() - RECEIPT_RETENTION_MS + HOUR) },
		]);
		expect(await pruneReceipts(db, now)).toBe(1);
		const left = await db.select().from(receipts).where(eq(receipts.sourceId, s.id));
		expect(left.map((r) => r.webhookId)).toEqual([fresh]);
	});

	it("the sweep prunes expired receipts as part of its run", async () => {
		const s = await createSource();
		const now = new Date("2000-05-01T00:00:00Z");
		const old = `old-${msgId()}`;
		await db.insert(receipts).values({
			sourceId: s.id,
			webhookId: old,
			bodySha256: "a",
			status: 202,
			response: {},
			createdAt: new Date(now.getTime() - RECEIPT_RETENTION_MS - HOUR),
		});
		const counts = await sweepAt(new FakeEmail(), now.getTime());
		expect(counts.receipts_pruned).toBe(1);
		expect(await db.select().from(receipts).where(eq(receipts.webhookId, old))).toEqual([]);
	});
});
