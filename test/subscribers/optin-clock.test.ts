// The double opt-in over time: one confirmation an hour however often the form is posted, links
// that stop working after 7 days and are pruned by the sweep, and no alert to an unconfirmed
// address through a full scheduled run.
import { createScheduledController, env } from "cloudflare:test";
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { opensPeriod, PRUNE_EVERY_MS } from "../../worker/alerts/sweep";
import worker from "../../worker/index";
import { findOptIn, pruneOptIns, requestOptIn } from "../../worker/subscribers/optin";
import { CONFIRMATION_EVERY_MS, mayResend, OPT_IN_LIFETIME_MS } from "../../worker/subscribers/optin-rules";
import { config, DAY, HOUR, scenario, sweepAt } from "../support/alerts";
import { db } from "../support/db";
import { FakeEmail } from "../support/fake-email";
import { call } from "../support/http";
import { insertPage, pendingOf, postSubscribe, tokenIn, uniqueEmail } from "../support/pages";
import { propertyRuns, timeoutFor } from "../support/runs";

afterEach(() => vi.useRealTimers());

const MIN = 60_000;

describe("one confirmation per address per hour", () => {
	it("sends one confirmation for 50 posts at once from 50 clients, the next only an hour after it, and only the newest link works", async () => {
		const page = await insertPage();
		const email = uniqueEmail();
		const mail = new FakeEmail();
		vi.useFakeTimers({ toFake: ["Date"] });
		const start = Date.now();
		const answers = await Promise.all(Array.from({ length: 50 }, () => postSubscribe(page.slug, email, { email: mail })));
		expect(answers.map((a) => a.res.status)).toEqual(Array(50).fill(202));
		expect(mail.to(email)).toHaveLength(1);
		vi.setSystemTime(start + CONFIRMATION_EVERY_MS - MIN);
		for (let i = 0; i < 5; i++) await postSubscribe(page.slug, email, { email: mail });
		expect(mail.to(email)).toHaveLength(1);
		vi.setSystemTime(start + CONFIRMATION_EVERY_MS + MIN);
		await Promise.all(Array.from({ length: 10 }, () => postSubscribe(page.slug, email, { email: mail })));
		const [first, second] = mail.to(email);
		expect(mail.to(email)).toHaveLength(2);
		expect(tokenIn(second)).not.toBe(tokenIn(first));
		expect((await call(`/confirm/${tokenIn(first)}`)).status).toBe(404);
		expect((await call(`/confirm/${tokenIn(second)}`)).status).toBe(200);
	});

	it("mails again after a failed send without waiting the hour, and logs the failure without the address", async () => {
		const page = await insertPage();
		const email = uniqueEmail();
		const mail = new FakeEmail();
		mail.failFor(email, 1);
		const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
		await postSubscribe(page.slug, email, { email: mail });
		const logged = [...log.mock.calls];
		log.mockRestore();
		expect(mail.to(email)).toHaveLength(0);
		expect(logged).toContainEqual([{ event: "optin.requested", page: page.slug, outcome: "failed", error: "E_INTERNAL_SERVER_ERROR" }]);
		expect(JSON.stringify(logged)).not.toContain(email);
		await postSubscribe(page.slug, email, { email: mail });
		expect(mail.to(email)).toHaveLength(1);
	});

	it("sends for a post exactly when the last confirmation went at least an hour before (any sequence of posts)", {
		timeout: timeoutFor(propertyRuns(25), 1500),
	}, async () => {
		const page = await insertPage();
		const t0 = Date.UTC(2031, 0, 1);
		await fc.assert(
			fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 3 * HOUR }), { minLength: 1, maxLength: 8 }), async (gaps) => {
				const email = uniqueEmail("prop");
				let at = t0;
				let lastSent: Date | null = null;
				for (const gap of gaps) {
					at += gap;
					const now = new Date(at);
					const expected = lastSent === null || mayResend(lastSent, now);
					const token = await requestOptIn(db, page, email, now);
					expect(token !== null).toBe(expected);
					if (token) lastSent = now;
				}
			}),
			{ numRuns: propertyRuns(25) },
		);
	});

	it("mayResend is true from exactly one hour on", () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 0, max: 3 * HOUR }), (sent, gap) => {
				expect(mayResend(new Date(sent), new Date(sent + gap))).toBe(gap >= CONFIRMATION_EVERY_MS);
			}),
			{ numRuns: propertyRuns(200) },
		);
	});
});

describe("expiry", () => {
	it("a link works until 7 days after it was sent; then it is 410 and the hourly sweep deletes the request", async () => {
		const page = await insertPage();
		const emails = Array.from({ length: 3 }, () => uniqueEmail("expiring"));
		// An hour-opening minute far ahead, so this sweep is the one that prunes.
		const sent = new Date(Math.ceil(Date.UTC(2032, 0, 1) / PRUNE_EVERY_MS) * PRUNE_EVERY_MS);
		const tokens = await Promise.all(emails.map((e) => requestOptIn(db, page, e, sent)));
		const token = tokens[0] ?? "";
		const expiry = sent.getTime() + OPT_IN_LIFETIME_MS;
		expect((await findOptIn(db, token, new Date(expiry - 1))).request.email).toBe(emails[0]);
		await expect(findOptIn(db, token, new Date(expiry))).rejects.toMatchObject({ code: "gone" });
		await pruneOptIns(db, new Date(expiry - 1));
		for (const e of emails) expect(await pendingOf(e)).toBeDefined();
		expect(opensPeriod(new Date(expiry), PRUNE_EVERY_MS)).toBe(true);
		const counts = await sweepAt(new FakeEmail(), expiry);
		expect(counts.opt_ins_expired).toBeGreaterThanOrEqual(3);
		for (const e of emails) expect(await pendingOf(e)).toBeUndefined();
		await expect(findOptIn(db, token, new Date(expiry))).rejects.toMatchObject({ code: "not_found" });
	});

	it("prunes at most 5,000 requests a run, 500 a statement, and the rest the next hour", async () => {
		const page = await insertPage();
		const at = Date.UTC(2033, 0, 1);
		await pruneOptIns(db, new Date(at));
		// 5,001 expired requests in one statement (a batch of inserts would take minutes here).
		await env.DB.prepare(
			`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5001)
			 INSERT INTO pending_subscriptions (email, page_id, token_hash, sent_at, expires_at)
			 SELECT 'bulk-' || i || '-' || ?1 || '@example.org', ?2, 'hash-' || i || '-' || ?1, ?3, ?4 FROM n`,
		)
			.bind(page.slug, page.id, at - OPT_IN_LIFETIME_MS, at)
			.run();
		expect(await pruneOptIns(db, new Date(at))).toBe(5000);
		expect(await pruneOptIns(db, new Date(at))).toBe(1);
	});
});

describe("no mail to an unconfirmed address", () => {
	it("a full scheduled sweep and digest mail a confirmed subscriber of the page's tag, and never the address still waiting", async () => {
		const now = Date.now();
		// A milestone due in 12 hours (its 1-day alert is due) followed by a confirmed subscriber.
		const { tag, email: confirmed } = await scenario(now + 12 * HOUR, now - 40 * DAY);
		const page = await insertPage({ tags: [tag] });
		const waiting = uniqueEmail("waiting");
		expect((await postSubscribe(page.slug, waiting)).mail.to(waiting)).toHaveLength(1);
		const mail = new FakeEmail();
		for (const cron of ["* * * * *", "0 6 * * *"]) {
			await worker.scheduled(createScheduledController({ cron, scheduledTime: new Date(now) }), { ...env, EMAIL: mail });
		}
		expect(mail.to(confirmed).map((m) => m.subject)).toEqual([expect.stringMatching(/due in 1[12] hours/)]);
		expect(mail.to(waiting)).toEqual([]);
		expect(config.alertFrom).not.toBe("");
	});
});
