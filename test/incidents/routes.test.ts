import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { eq } from "drizzle-orm";
import fc from "fast-check";
import { Webhook } from "standardwebhooks";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../../worker/app";
import { incidents, receipts } from "../../worker/db/schema";
import { pruneReceipts, RECEIPT_RETENTION_MS } from "../../worker/incidents/intake/receipts";
import { incidentCounts } from "../../worker/incidents/queries";
import { chunk } from "../../worker/incidents/write";
import { sweepAt } from "../support/alerts";
import { db } from "../support/db";
import { FakeEmail } from "../support/fake-email";
import { call, problem, uniqueSlug } from "../support/http";
import { createSource, deliver, envelope, incident, msgId } from "../support/intake";
import { propertyRuns, timeoutFor } from "../support/runs";

const HOUR = 3_600_000;

describe("verification", () => {
	it("PATCH sets verified or rejected with a note; a note is required; nothing changes on bad input", async () => {
		const s = await createSource();
		const { ids } = (await (await deliver(s.slug, s.secret, envelope(incident()))).json()) as { ids: number[] };
		const id = ids[0];
		const bad = await problem(await call(`/api/incidents/${id}`, { method: "PATCH", admin: true, json: { verification: "verified" } }), 422);
		expect(bad.errors?.[0]?.path).toBe("/verification_note");
		await problem(await call(`/api/incidents/${id}`, { method: "PATCH", admin: true, json: { verification: "maybe", verification_note: "x" } }), 422);
		await problem(await call(`/api/incidents/${id}`, { method: "PATCH", json: { verification: "verified", verification_note: "x" } }), 401);
		await problem(await call(`/api/incidents/999999999`, { method: "PATCH", admin: true, json: { verification: "verified", verification_note: "x" } }), 404);
		expect(
			(
				await db
					.select()
					.from(incidents)
					.where(eq(incidents.id, id ?? 0))
			)[0]?.verification,
		).toBe("unverified");

		const res = await call(`/api/incidents/${id}`, {
			method: "PATCH",
			admin: true,
			json: { verification: "verified", verification_note: "Two outlets confirm." },
		});
		expect(res.status).toBe(200);
		expect(await res.json()).toMatchObject({ id, verification: "verified", verification_note: "Two outlets confirm.", source: s.slug });
		expect((await (await call(`/api/incidents/${id}`)).json()) as object).toMatchObject({ verification: "verified" });
	});
});

describe("status incident figures", () => {
	afterEach(() => vi.useRealTimers());

	it("counts the last 24 h and 7 days by zone, without retracted or rejected, with the verified share", async () => {
		const now = new Date("2031-03-10T12:00:00Z");
		const s = await createSource();
		const zoneSlug = uniqueSlug("z");
		const zone = (await (await call("/api/zones", { method: "POST", admin: true, json: { slug: zoneSlug, name: "Status zone" } })).json()) as { id: number };
		const at = (hoursAgo: number) => new Date(now.getTime() - hoursAgo * HOUR);
		const base = {
			sourceId: s.id,
			eventDate: "x",
			occurredPrecision: "instant" as const,
			reportedAt: now,
			updatedAt: now,
			eventType: "Battles",
			zoneId: zone.id,
		};
		await db.insert(incidents).values([
			{ ...base, externalId: "s1", occurredAt: at(2), verification: "verified" },
			{ ...base, externalId: "s2", occurredAt: at(30) },
			{ ...base, externalId: "s3", occurredAt: at(100), zoneId: null },
			{ ...base, externalId: "s4", occurredAt: at(3), verification: "rejected" },
			{ ...base, externalId: "s5", occurredAt: at(4), retractedAt: now },
			{ ...base, externalId: "s6", occurredAt: at(24 * 8) },
			{ ...base, externalId: "s7", occurredAt: new Date(now.getTime() + HOUR) },
		]);
		const counts = await incidentCounts(db, now);
		expect(counts).toMatchObject({ last_24h: 1, last_7d: 3 });
		expect(counts.verified_share).toBeCloseTo(1 / 3, 3);
		expect(counts.by_zone).toEqual(
			expect.arrayContaining([
				{ zone: zoneSlug, name: "Status zone", last_24h: 1, last_7d: 2 },
				{ zone: null, name: null, last_24h: 0, last_7d: 1 },
			]),
		);

		expect(await incidentCounts(db, new Date("2040-01-01T00:00:00Z"))).toEqual({ last_24h: 0, last_7d: 0, verified_share: null, by_zone: [] });
	});

	const runs = propertyRuns(25);
	it("agrees with a direct count for any mix of ages, verification and retraction (property)", { timeout: timeoutFor(runs, 200) }, async () => {
		const s = await createSource();
		let run = 0;
		await fc.assert(
			fc.asyncProperty(
				fc.array(
					fc.record({
						hoursAgo: fc.integer({ min: -48, max: 24 * 9 }),
						verification: fc.constantFrom("unverified" as const, "verified" as const, "rejected" as const),
						retracted: fc.boolean(),
					}),
					{ maxLength: 25 },
				),
				async (items) => {
					// Each run gets its own far-future week, so earlier runs and tests never fall in the window.
					const now = new Date(Date.UTC(2050 + run++, 0, 1));
					const rows = items.map((x, i) => ({
						sourceId: s.id,
						externalId: `prop-${run}-${i}`,
						eventDate: "x",
						occurredPrecision: "instant" as const,
						occurredAt: new Date(now.getTime() - x.hoursAgo * HOUR),
						reportedAt: now,
						updatedAt: now,
						eventType: "Riots",
						verification: x.verification,
						retractedAt: x.retracted ? now : null,
					}));
					// Nine rows of eleven parameters stay under D1's 100 per statement.
					for (const part of chunk(rows, 9)) await db.insert(incidents).values(part);
					const counted = items.filter((x) => !x.retracted && x.verification !== "rejected" && x.hoursAgo >= 0);
					const week = counted.filter((x) => x.hoursAgo <= 24 * 7);
					const got = await incidentCounts(db, now);
					expect(got.last_24h).toBe(counted.filter((x) => x.hoursAgo <= 24).length);
					expect(got.last_7d).toBe(week.length);
					const verified = week.filter((x) => x.verification === "verified").length;
					expect(got.verified_share).toBe(week.length === 0 ? null : Math.round((verified / week.length) * 1000) / 1000);
				},
			),
			{ numRuns: runs },
		);
	});

	it("shows the figures in GET /status", async () => {
		// A week of its own: the clock the webhook is signed with and /status counts from.
		const now = Date.parse("2034-06-15T12:00:00Z");
		vi.useFakeTimers({ toFake: ["Date"] });
		vi.setSystemTime(now);
		const s = await createSource();
		expect((await deliver(s.slug, s.secret, envelope(incident({ event_date: new Date(now - 2 * HOUR).toISOString() })))).status).toBe(202);
		const body = (await (await call("/status")).json()) as { incidents: unknown };
		expect(body.incidents).toEqual({ last_24h: 1, last_7d: 1, verified_share: 0, by_zone: [{ zone: null, name: null, last_24h: 1, last_7d: 1 }] });
	});
});

// Pruning takes every key older than the cutoff, whoever wrote it: each test runs before every other
// webhook in this file (webhooks are stamped with today's clock), so its own old receipt is the one taken.
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

describe("rate limiting per source", () => {
	async function signedRequest(slug: string, secret: string) {
		const id = msgId();
		const at = new Date();
		const body = JSON.stringify(envelope(incident()));
		return new Request(`https://vigil.test/webhooks/${slug}`, {
			method: "POST",
			body,
			headers: {
				"content-type": "application/json",
				"webhook-id": id,
				"webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
				"webhook-signature": new Webhook(secret).sign(id, at, body),
			},
		});
	}

	it("answers 429 with Retry-After when the binding refuses, writing nothing; keys are per source", async () => {
		const s = await createSource();
		const keys: string[] = [];
		const refusing = {
			...env,
			WEBHOOK_LIMITER: {
				limit: async ({ key }: { key: string }) => {
					keys.push(key);
					return { success: false };
				},
			},
		};
		const ctx = createExecutionContext();
		const res = await createApp().fetch(await signedRequest(s.slug, s.secret), refusing, ctx);
		await waitOnExecutionContext(ctx);
		expect((await problem(res, 429)).status).toBe(429);
		expect(res.headers.get("retry-after")).toBe("60");
		expect(keys).toEqual([`source:${s.id}`]);
		expect(await db.select().from(incidents).where(eq(incidents.sourceId, s.id))).toEqual([]);
	});

	it("does not count unsigned messages, and works when the binding is absent", async () => {
		const s = await createSource();
		let calls = 0;
		const counting = {
			...env,
			WEBHOOK_LIMITER: {
				limit: async () => {
					calls++;
					return { success: true };
				},
			},
		};
		const unsigned = new Request(`https://vigil.test/webhooks/${s.slug}`, { method: "POST", body: "{}", headers: { "content-type": "application/json" } });
		await problem(await createApp().fetch(unsigned, counting, createExecutionContext()), 401);
		expect(calls).toBe(0);
		const { WEBHOOK_LIMITER: _, ...withoutLimiter } = env;
		expect((await createApp().fetch(await signedRequest(s.slug, s.secret), withoutLimiter, createExecutionContext())).status).toBe(202);
	});

	// Up to 1,202 calls to the limiter: a few milliseconds each, more on a loaded machine.
	it("has the binding from wrangler.toml simulated in workerd: 600 a minute per key, then refused", { timeout: timeoutFor(1202, 20) }, async () => {
		const limiter = env.WEBHOOK_LIMITER;
		if (!limiter) throw new Error("WEBHOOK_LIMITER binding missing");
		const key = `probe-${msgId()}`;
		// The window is a fixed minute, so a run may straddle a boundary: allow two windows' worth.
		const outcomes: boolean[] = [];
		for (let i = 0; i < 1202 && !outcomes.includes(false); i++) outcomes.push((await limiter.limit({ key })).success);
		const firstRefusal = outcomes.indexOf(false);
		expect(firstRefusal).toBeGreaterThanOrEqual(600);
		expect(firstRefusal).toBeLessThanOrEqual(1200);
		expect((await limiter.limit({ key: `${key}-other` })).success).toBe(true);
	});
});
