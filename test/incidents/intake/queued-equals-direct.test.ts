// Queued mode and direct mode give the same rows for the same stream of messages: a random
// stream (reports, updates and retractions over a few external ids, with and without a zone) is
// sent to one source directly and to another through the queue, cut into random batches.
import { eq } from "drizzle-orm";
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { incidents, receipts } from "../../../worker/db/schema";
import { db } from "../../support/db";
import { createSource, deliver, envelope, incident } from "../../support/intake";
import { consume, postQueued, RecordingQueue } from "../../support/queue";
import { propertyRuns, timeoutFor } from "../../support/runs";
import { createZone } from "../../support/zones";

afterEach(() => vi.useRealTimers());

const RUNS = propertyRuns(15);

/** A source's rows without what tells two sources apart (ids), by external_id. */
async function rowsOf(sourceId: number) {
	const rows = await db.select().from(incidents).where(eq(incidents.sourceId, sourceId));
	return rows.map(({ id, sourceId: _, ...rest }) => rest).sort((a, b) => (a.externalId < b.externalId ? -1 : 1));
}

const step = fc.record({
	type: fc.constantFrom("incident.reported", "incident.updated", "incident.retracted"),
	ids: fc.uniqueArray(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 3 }),
	fatalities: fc.integer({ min: 0, max: 50 }),
	zoned: fc.boolean(),
});

describe("queued mode against direct mode", () => {
	it("leaves the same rows for any stream of messages, however the queue cuts it into batches", { timeout: timeoutFor(RUNS, 8_000) }, async () => {
		const zone = await createZone();
		await fc.assert(
			fc.asyncProperty(
				fc.array(step, { minLength: 1, maxLength: 12 }),
				fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 12, maxLength: 12 }),
				async (stream, cuts) => {
					const direct = await createSource();
					const viaQueue = await createSource();
					const queue = new RecordingQueue();
					const prefix = `p${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
					const start = Date.now();
					const accepted: boolean[] = [];
					vi.useFakeTimers({ toFake: ["Date"] });
					for (const [i, s] of stream.entries()) {
						// Both copies of a message are received at the same instant, as the rows record it.
						vi.setSystemTime(start + i * 1000);
						const items = s.ids.map((n) =>
							s.type === "incident.retracted"
								? { external_id: `${prefix}-${n}` }
								: incident({ external_id: `${prefix}-${n}`, fatalities: s.fatalities, ...(s.zoned ? { zone: zone.slug } : {}) }),
						);
						const payload = envelope(items.length === 1 ? items[0] : { incidents: items }, s.type);
						const res = await deliver(direct.slug, direct.secret, payload);
						accepted.push(res.status === 202);
						expect((await postQueued(queue, viaQueue.slug, viaQueue.secret, payload)).status).toBe(202);
					}
					vi.useRealTimers();
					const messages = queue.take();
					for (let at = 0, c = 0; at < messages.length; c++) {
						const size = cuts[c % cuts.length] ?? 1;
						expect((await consume(messages.slice(at, at + size))).retried).toEqual([]);
						at += size;
					}
					expect(await rowsOf(viaQueue.id)).toEqual(await rowsOf(direct.id));
					// The messages written are those the direct path accepted (a retraction of an unknown id is refused by both).
					const written = await db.select().from(receipts).where(eq(receipts.sourceId, viaQueue.id));
					expect(written).toHaveLength(accepted.filter(Boolean).length);
				},
			),
			{ numRuns: RUNS },
		);
	});
});
