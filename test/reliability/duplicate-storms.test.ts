// Duplicate storms: a sender (or a chain of retrying proxies) fires the same webhook-id many
// times at once. Exactly one incident per id is written, and every copy gets the same 2xx answer:
// copies that race the first fail on the receipt's unique key and answer from the stored receipt.
import { and, eq, inArray } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { incidents, receipts } from "../../worker/db/schema";
import { db } from "../support/db";
import { createSource, deliver, envelope, incident, msgId } from "../support/intake";

interface Answer {
	status: number;
	body: { accepted: number; duplicates: number; ids: number[] };
}

const answer = async (res: Response): Promise<Answer> => ({ status: res.status, body: (await res.json()) as Answer["body"] });

const incidentsOf = (sourceId: number) =>
	db.select({ id: incidents.id, externalId: incidents.externalId }).from(incidents).where(eq(incidents.sourceId, sourceId)).orderBy(incidents.id);

const receiptsOf = (sourceId: number, ids: string[]) =>
	db
		.select({ webhookId: receipts.webhookId, status: receipts.status, response: receipts.response })
		.from(receipts)
		.where(and(eq(receipts.sourceId, sourceId), inArray(receipts.webhookId, ids)));

describe("duplicate storms", () => {
	it("100 concurrent copies of one webhook-id: one incident, and all 100 answer 202 with its id", async () => {
		const s = await createSource("storm");
		const id = msgId();
		const body = JSON.stringify(envelope(incident()));
		const answers = await Promise.all(Array.from({ length: 100 }, () => deliver(s.slug, s.secret, null, { id, body }).then(answer)));

		const rows = await incidentsOf(s.id);
		expect(rows).toHaveLength(1);
		const expected: Answer = { status: 202, body: { accepted: 1, duplicates: 0, ids: [rows[0]?.id as number] } };
		expect(answers.filter((a) => JSON.stringify(a) !== JSON.stringify(expected))).toEqual([]);
		expect(await receiptsOf(s.id, [id])).toEqual([{ webhookId: id, status: 202, response: expected.body }]);
	});

	it("20 ids × 20 copies, interleaved (400 at once): one incident per id, every copy answers 202 with its id's incident", async () => {
		const s = await createSource("storm");
		const messages = Array.from({ length: 20 }, () => {
			const item = incident();
			return { id: msgId(), externalId: item.external_id, body: JSON.stringify(envelope(item)) };
		});
		// Copy k of every id goes out before copy k+1 of any: the duplicates of one id overlap the others' first writes.
		const order = Array.from({ length: 20 }, () => messages).flat();
		const answers = await Promise.all(order.map((m) => deliver(s.slug, s.secret, null, { id: m.id, body: m.body }).then(answer)));

		const rows = await incidentsOf(s.id);
		expect(rows.map((r) => r.externalId).sort()).toEqual(messages.map((m) => m.externalId).sort());
		const incidentId = new Map(rows.map((r) => [r.externalId, r.id]));
		const wrong = answers.flatMap((a, i) => {
			const m = order[i] as (typeof order)[number];
			const want: Answer = { status: 202, body: { accepted: 1, duplicates: 0, ids: [incidentId.get(m.externalId) as number] } };
			return JSON.stringify(a) === JSON.stringify(want) ? [] : [{ id: m.id, got: a, want }];
		});
		expect(wrong).toEqual([]);
		const stored = await receiptsOf(
			s.id,
			messages.map((m) => m.id),
		);
		expect(stored).toHaveLength(20);
		expect(stored.every((d) => d.status === 202)).toBe(true);
	});

	it("16 ids at once, each with the same external_id: one incident, and exactly the 15 that found it count it a duplicate", async () => {
		// Each answer must say whether the row existed when its batch ran, not compare clocks: copies
		// received in the same millisecond (the clock stands still here) once all answered 0 duplicates.
		const s = await createSource("storm");
		const body = JSON.stringify(envelope(incident()));
		vi.useFakeTimers({ toFake: ["Date"] });
		vi.setSystemTime(Date.now());
		const answers = await Promise.all(Array.from({ length: 16 }, () => deliver(s.slug, s.secret, null, { id: msgId(), body }).then(answer))).finally(() =>
			vi.useRealTimers(),
		);
		const rows = await incidentsOf(s.id);
		expect(rows).toHaveLength(1);
		expect(answers.every((a) => a.status === 202 && a.body.accepted === 1 && a.body.ids[0] === rows[0]?.id)).toBe(true);
		expect(answers.map((a) => a.body.duplicates).sort()).toEqual([0, ...Array(15).fill(1)]);
	});
});
