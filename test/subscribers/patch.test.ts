// PATCH /api/subscribers/:id: filters, name and digest checked as on create; pausing, which
// stops planning and sending and drops what is queued; resuming, which starts with the next
// threshold and a one-day digest.
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { runDigest } from "../../worker/alerts/digest";
import { enqueueStatements } from "../../worker/alerts/ledger";
import { QueryBudget } from "../../worker/db/budget";
import { subscribers } from "../../worker/db/schema";
import { createSubscriber } from "../../worker/subscribers/queries";
import { config, DAY, HOUR, ledgerOf, scenario, subscriberRow, sweepAt } from "../support/alerts";
import { db } from "../support/db";
import { FakeEmail } from "../support/fake-email";
import { call, problem, uniqueSlug } from "../support/http";
import { insertIncident, insertSource, insertZone } from "../support/incident-rows";

afterEach(() => vi.useRealTimers());

const DUE = Date.UTC(2031, 2, 1, 12);
const MIN = 60_000;

type Json = {
	id: number;
	name: string | null;
	zones: string[];
	tags: string[];
	digest: boolean;
	paused: boolean;
	updated_at: string | null;
	unsubscribe_url: string;
};

const patch = (id: number | string, json: unknown) => call(`/api/subscribers/${id}`, { method: "PATCH", admin: true, json });

async function zoneAndTag() {
	const zone = (await insertZone()).slug;
	const tag = uniqueSlug("tag");
	expect((await call("/api/milestones", { method: "POST", admin: true, json: { title: `M ${tag}`, due: "2031-05", tags: [tag] } })).status).toBe(201);
	return { zone, tag };
}

describe("PATCH /api/subscribers/:id", () => {
	it("changes filters, name and digest, and stamps updated_at", async () => {
		const { zone, tag } = await zoneAndTag();
		const created = (await (
			await call("/api/subscribers", { method: "POST", admin: true, json: { email: `${uniqueSlug("p")}@example.org`, name: "Desk" } })
		).json()) as Json;
		vi.useFakeTimers({ toFake: ["Date"] });
		const res = await patch(created.id, { zones: [zone, zone], tags: [tag], digest: false, name: null });
		expect(res.status).toBe(200);
		const body = (await res.json()) as Json;
		expect(body).toMatchObject({ zones: [zone], tags: [tag], digest: false, name: null, paused: false, updated_at: new Date().toISOString() });
		expect(body.unsubscribe_url).toBe(created.unsubscribe_url);
		const row = await subscriberRow(created.id);
		expect(row).toMatchObject({ zones: [zone], tags: [tag], digest: false, name: null, updatedAt: new Date() });
	});

	it("refuses unknown zones and tags, the address, unknown fields and an empty change with a 422 naming the field, and writes nothing", async () => {
		const { zone } = await zoneAndTag();
		const created = await createSubscriber(db, { email: `${uniqueSlug("bad")}@example.org`, name: "Desk" }, new Date());
		const missingZone = uniqueSlug("nozone");
		for (const [json, path] of [
			[{ zones: [zone, missingZone] }, "/zones/1"],
			[{ tags: [uniqueSlug("notag")] }, "/tags/0"],
			[{ email: "other@example.org" }, "/"],
			[{ paused: "yes" }, "/paused"],
			[{ name: "" }, "/name"],
			[{}, "/"],
		] as const) {
			const body = await problem(await patch(created.id, json), 422);
			expect(body.errors?.map((e) => e.path)).toEqual([path]);
			if (path === "/zones/1") expect(body.detail).toContain(missingZone);
			if ("email" in json) expect(body.detail).toContain('"email" cannot be changed');
		}
		expect(await subscriberRow(created.id)).toEqual(created);
	});

	it("answers 404 for an unknown subscriber and 409 for one who unsubscribed", async () => {
		await problem(await patch(999_999_999, { paused: true }), 404);
		await problem(await patch("not-an-id", { paused: true }), 404);
		const created = await createSubscriber(db, { email: `${uniqueSlug("gone")}@example.org` }, new Date());
		expect((await call(`/api/subscribers/${created.id}`, { method: "DELETE", admin: true })).status).toBe(200);
		const before = await subscriberRow(created.id);
		const body = await problem(await patch(created.id, { paused: false }), 409);
		expect(body.detail).toContain('"resubscribe": true');
		expect(await subscriberRow(created.id)).toEqual(before);
	});

	it("needs the admin token", async () => {
		const created = await createSubscriber(db, { email: `${uniqueSlug("auth")}@example.org` }, new Date());
		await problem(await call(`/api/subscribers/${created.id}`, { method: "PATCH", json: { paused: true } }), 401);
		expect((await subscriberRow(created.id))?.paused).toBe(false);
	});
});

describe("pausing and resuming", () => {
	it("a paused subscriber gets nothing planned or sent, loses what was queued, and resumes with the next threshold", async () => {
		const { subscriber, email } = await scenario(DUE, DUE - 40 * DAY);
		const mail = new FakeEmail();
		mail.failFor(email, 1);
		await sweepAt(mail, DUE - 30 * DAY + MIN);
		expect((await ledgerOf(email)).map((r) => [r.offset, r.status])).toEqual([["P30D", "pending"]]);

		expect(((await (await patch(subscriber.id, { paused: true })).json()) as Json).paused).toBe(true);
		expect(await ledgerOf(email)).toEqual([]);
		await sweepAt(mail, DUE - 30 * DAY + HOUR);
		await sweepAt(mail, DUE - 7 * DAY + MIN);
		expect(await ledgerOf(email)).toEqual([]);

		expect(((await (await patch(subscriber.id, { paused: false })).json()) as Json).paused).toBe(false);
		await sweepAt(mail, DUE - 7 * DAY + HOUR);
		await sweepAt(mail, DUE - DAY + MIN);
		expect(mail.to(email).map((m) => m.subject)).toEqual([expect.stringMatching(/due in 23 hours 59 minutes$/)]);
		expect((await ledgerOf(email)).map((r) => [r.offset, r.status])).toEqual([["P1D", "sent"]]);
	});

	it("drops, not sends, what was queued for a subscriber paused after the sweep read them", async () => {
		const { subscriber, milestone, email } = await scenario(DUE, DUE - 40 * DAY);
		const alert = { kind: "deadline" as const, milestoneId: milestone.id, zoneId: null, offset: "P7D", dueAt: milestone.dueAt, subscriberId: subscriber.id };
		await Promise.all(enqueueStatements(db, [{ ...alert, recipient: email }], new Date(DUE - 7 * DAY)));
		await db.update(subscribers).set({ paused: true }).where(eq(subscribers.id, subscriber.id));
		const mail = new FakeEmail();
		await sweepAt(mail, DUE - 7 * DAY + MIN);
		expect(mail.to(email)).toEqual([]);
		expect(await ledgerOf(email)).toEqual([]);
	});

	it("gets no digest while paused, and after resuming one of the day before, not of the whole pause", async () => {
		const NOW = Date.UTC(2033, 5, 10, 6);
		const [zone, source] = await Promise.all([insertZone(), insertSource()]);
		const subscriber = await createSubscriber(db, { email: `${zone.slug}@example.org`, zones: [zone.slug] }, new Date(NOW - 10 * DAY));
		const mail = new FakeEmail();
		await insertIncident(source.id, { occurredAt: new Date(NOW - 2 * HOUR), zoneId: zone.id });
		await runDigest({ db, config, email: mail, now: new Date(NOW), queries: new QueryBudget() });
		expect(mail.to(subscriber.email).map((m) => m.subject)).toEqual(["[Vigil] Daily digest: 1 new incident"]);

		expect((await patch(subscriber.id, { paused: true })).status).toBe(200);
		await insertIncident(source.id, { occurredAt: new Date(NOW + 2 * DAY - 2 * HOUR), zoneId: zone.id });
		await insertIncident(source.id, { occurredAt: new Date(NOW + 2 * DAY - 3 * HOUR), zoneId: zone.id });
		await runDigest({ db, config, email: mail, now: new Date(NOW + 2 * DAY), queries: new QueryBudget() });
		expect(mail.to(subscriber.email)).toHaveLength(1);

		expect((await patch(subscriber.id, { paused: false })).status).toBe(200);
		await insertIncident(source.id, { occurredAt: new Date(NOW + 5 * DAY - 2 * HOUR), zoneId: zone.id });
		await runDigest({ db, config, email: mail, now: new Date(NOW + 5 * DAY), queries: new QueryBudget() });
		expect(mail.to(subscriber.email).map((m) => m.subject)).toEqual(["[Vigil] Daily digest: 1 new incident", "[Vigil] Daily digest: 1 new incident"]);
	});
});
