// Subscribing from a page: the one answer for every address state, refusals that write nothing,
// and the confirmation link (GET asks, POST confirms) that makes the page's subscriber.
import { afterEach, describe, expect, it, vi } from "vitest";
import { createSubscriber } from "../../worker/subscribers/queries";
import { db } from "../support/db";
import { FakeEmail } from "../support/fake-email";
import { call, problem } from "../support/http";
import { clientIp, insertPage, pendingOf, postSubscribe, subscriberOf, tokenIn, uniqueEmail } from "../support/pages";

afterEach(() => vi.useRealTimers());

/**
 * What a client can see of an answer: status, headers and body. Set aside: the CSP's nonce (new
 * for every response) and the D1 bookmark's value, which is the whole database's position (moved
 * by the previous post's write after its answer, whoever made it), not this address's state.
 */
async function visible(res: Response) {
	const headers = [...res.headers].map(([k, v]) => [k, k === "x-d1-bookmark" ? "(position)" : v.replace(/'nonce-[^']+'/g, "'nonce'")]);
	return { status: res.status, headers, body: (await res.text()).replace(/nonce="[^"]+"/g, 'nonce=""') };
}

/** A browser's form post, and a browser following a link: both ask for HTML. */
const form = (path: string, body = "") =>
	call(path, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" }, body });
const open = (path: string) => call(path, { headers: { accept: "text/html" } });

describe("POST /p/:slug/subscribe", () => {
	it("answers a new, a pending and a subscribed address alike, and mails only the new one", async () => {
		const page = await insertPage();
		const [fresh, pending, subscribed] = [uniqueEmail("new"), uniqueEmail("pending"), uniqueEmail("subscribed")];
		await postSubscribe(page.slug, pending);
		await createSubscriber(db, { email: subscribed }, new Date());
		for (const asForm of [false, true]) {
			const mail = new FakeEmail();
			const answers = [];
			for (const email of [asForm ? uniqueEmail("new") : fresh, pending, subscribed]) {
				answers.push(await visible((await postSubscribe(page.slug, email, { form: asForm, email: mail })).res));
			}
			expect(answers[0]?.status).toBe(202);
			expect(answers[1]).toEqual(answers[0]);
			expect(answers[2]).toEqual(answers[0]);
			expect(mail.sent.map((m) => m.to)).toHaveLength(1);
			expect(mail.to(pending)).toEqual([]);
			expect(mail.to(subscribed)).toEqual([]);
		}
		expect(await pendingOf(subscribed)).toBeUndefined();
	});

	it("answers JSON with a neutral message and a form with a small page, never cached", async () => {
		const page = await insertPage();
		const json = (await postSubscribe(page.slug, uniqueEmail())).res;
		expect(json.headers.get("content-type")).toMatch(/^application\/json/);
		expect(await json.json()).toEqual({ message: "If this address can be subscribed, a confirmation link is on its way to it." });
		const html = (await postSubscribe(page.slug, uniqueEmail(), { form: true })).res;
		expect(html.status).toBe(202);
		expect(html.headers.get("content-type")).toMatch(/^text\/html/);
		expect(html.headers.get("cache-control")).toBe("no-store");
		expect(html.headers.get("content-security-policy")).toContain("default-src 'none'");
		expect(await html.text()).toContain("Check your inbox");
	});

	it("mails a confirmation link, from ALERT_FROM, and nothing else", async () => {
		const page = await insertPage({ title: 'Iraq <after> "the withdrawal"\r\nBcc: x@example.org' });
		const email = uniqueEmail();
		const { mail } = await postSubscribe(page.slug, email.toUpperCase());
		const [message] = mail.sent;
		expect(mail.sent).toHaveLength(1);
		expect(message?.to).toBe(email);
		expect(message?.subject).toBe('[Vigil] Confirm your subscription to Iraq <after> "the withdrawal" Bcc: x@example.org');
		expect(String(message?.text)).toMatch(/^Someone, probably you, asked .*\n\n.*\nhttps:\/\/vigil\.test\/confirm\/[A-Za-z0-9_-]{43}\n/s);
		expect(String(message?.html)).toContain("Iraq &lt;after&gt;");
		expect(message?.headers).toEqual({ "Auto-Submitted": "auto-generated" });
		// Only the token's hash is kept.
		const row = await pendingOf(email);
		expect(row?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
		expect(row?.tokenHash).not.toContain(tokenIn(message));
	});

	it("is 404 for an unknown or a private page, as JSON or as a page, and writes and sends nothing", async () => {
		const hidden = await insertPage({ visibility: "private" });
		for (const slug of ["no-such-page", hidden.slug]) {
			const email = uniqueEmail();
			const json = await postSubscribe(slug, email);
			expect((await problem(json.res, 404)).detail).toBe(`No public page "${slug}".`);
			const html = await postSubscribe(slug, email, { form: true });
			expect(html.res.status).toBe(404);
			expect(await html.res.text()).toContain("There is no public page here to subscribe to.");
			expect([...json.mail.sent, ...html.mail.sent]).toEqual([]);
			expect(await pendingOf(email)).toBeUndefined();
		}
	});

	it("is 422 for a bad address, the same for JSON whatever exists, with the form again for a browser; nothing written or sent", async () => {
		const page = await insertPage();
		for (const bad of ["not-an-address", "a b@example.org", "<script>@x", ""]) {
			const json = await postSubscribe(page.slug, bad);
			expect((await problem(json.res, 422)).errors?.map((e) => e.path)).toEqual(["/email"]);
			const html = await postSubscribe(page.slug, bad, { form: true });
			expect(html.res.status).toBe(422);
			const text = await html.res.text();
			expect(text).toContain("That does not look like an email address");
			expect(text).toContain(`action="/p/${page.slug}/subscribe"`);
			expect(text).not.toContain("<script>@");
			expect([...json.mail.sent, ...html.mail.sent]).toEqual([]);
			expect(await pendingOf(bad)).toBeUndefined();
		}
		const extra = await call(`/p/${page.slug}/subscribe`, { method: "POST", json: { email: uniqueEmail(), admin: true } });
		expect((await problem(extra, 422)).errors?.[0]?.message).toMatch(/unrecognized key/i);
		await problem(await call(`/p/${page.slug}/subscribe`, { method: "POST", headers: { "content-type": "application/json" }, body: "{" }), 400);
		await problem(await call(`/p/${page.slug}/subscribe`, { method: "POST", headers: { "content-type": "text/plain" }, body: "x" }), 415);
	});

	it("is 429 with Retry-After when the client's budget is spent, keyed by its address, writing and sending nothing", async () => {
		const page = await insertPage();
		const keys: string[] = [];
		const refusing = {
			SUBSCRIBE_LIMITER: {
				limit: async ({ key }: { key: string }) => {
					keys.push(key);
					return { success: false };
				},
			},
		};
		const email = uniqueEmail();
		const json = await postSubscribe(page.slug, email, { ip: "198.51.100.7", env: refusing });
		expect((await problem(json.res, 429)).detail).toBe("Too many attempts; retry after 60 seconds.");
		expect(json.res.headers.get("retry-after")).toBe("60");
		const html = await postSubscribe(page.slug, email, { ip: "198.51.100.7", form: true, env: refusing });
		expect(html.res.status).toBe(429);
		expect(html.res.headers.get("retry-after")).toBe("60");
		expect(await html.res.text()).toContain("Try again in 60 seconds");
		expect(keys).toEqual(["ip:198.51.100.7", "ip:198.51.100.7"]);
		expect([...json.mail.sent, ...html.mail.sent]).toEqual([]);
		expect(await pendingOf(email)).toBeUndefined();
	});

	it("has the wrangler.toml binding simulated: 5 posts a minute per client address, then 429", async () => {
		const page = await insertPage();
		const ip = `203.0.113.${Date.now() % 250}`;
		const statuses: number[] = [];
		// The window is a fixed minute, so the posts may straddle a boundary: allow two windows' worth.
		for (let i = 0; i < 11 && !statuses.includes(429); i++) statuses.push((await postSubscribe(page.slug, uniqueEmail(), { ip })).res.status);
		const firstRefusal = statuses.indexOf(429);
		expect(firstRefusal).toBeGreaterThanOrEqual(5);
		expect(firstRefusal).toBeLessThanOrEqual(10);
		expect((await postSubscribe(page.slug, uniqueEmail(), { ip: `${ip}0` })).res.status).toBe(202);
	});

	it("counts an IPv6 client by its /64: fresh addresses of one /64 share one budget, another /64 has its own", async () => {
		const page = await insertPage();
		const net = clientIp().replace(/::1$/, "");
		const statuses: number[] = [];
		for (let i = 1; i <= 11 && !statuses.includes(429); i++)
			statuses.push((await postSubscribe(page.slug, uniqueEmail(), { ip: `${net}::${i.toString(16)}` })).res.status);
		expect(statuses.indexOf(429)).toBeGreaterThanOrEqual(5);
		expect((await postSubscribe(page.slug, uniqueEmail(), { ip: clientIp() })).res.status).toBe(202);
	});
});

describe("GET and POST /confirm/:token", () => {
	it("GET only asks, however often; POST subscribes with the page's filters and language, and the unsubscribe link works", async () => {
		const page = await insertPage({ title: "Badia watch", tags: ["badia"], zones: ["syrian-badia"], language: "ar" });
		const email = uniqueEmail();
		const token = tokenIn((await postSubscribe(page.slug, email, { form: true })).mail.sent[0]);
		for (let i = 0; i < 3; i++) {
			const res = await open(`/confirm/${token}`);
			expect(res.status).toBe(200);
			expect(res.headers.get("content-security-policy")).toContain("form-action 'self'");
			const text = await res.text();
			expect(text).toContain(`<form method="post" action="/confirm/${token}">`);
			expect(text).toContain(email);
		}
		expect(await subscriberOf(email)).toBeUndefined();
		vi.useFakeTimers({ toFake: ["Date"] });
		const at = new Date(Date.now() + 3_600_000);
		vi.setSystemTime(at);
		const done = await form(`/confirm/${token}`);
		vi.useRealTimers();
		expect(done.status).toBe(200);
		expect(await done.text()).toContain(`اشترك ${email} في «Badia watch».`);
		const row = await subscriberOf(email);
		expect(row).toMatchObject({
			tags: ["badia"],
			zones: ["syrian-badia"],
			language: "ar",
			consentSource: "page_double_opt_in",
			consentAt: at,
			digest: true,
			paused: false,
			unsubscribedAt: null,
		});
		expect(await pendingOf(email)).toBeUndefined();
		const again = await form(`/confirm/${token}`);
		expect(again.status).toBe(404);
		expect(await again.text()).toContain("This confirmation link is not valid");
		expect((await form(`/unsubscribe/${row?.unsubscribeToken}`, "List-Unsubscribe=One-Click")).status).toBe(200);
		expect((await subscriberOf(email))?.unsubscribedAt).not.toBeNull();
	});

	it("lets an address that unsubscribed come back with a new opt-in, with a fresh unsubscribe link", async () => {
		const page = await insertPage({ tags: ["elections"] });
		const email = uniqueEmail();
		const before = await createSubscriber(db, { email, zones: [], tags: [] }, new Date());
		expect((await form(`/unsubscribe/${before.unsubscribeToken}`)).status).toBe(200);
		const token = tokenIn((await postSubscribe(page.slug, email)).mail.sent[0]);
		expect((await form(`/confirm/${token}`)).status).toBe(200);
		const after = await subscriberOf(email);
		expect(after).toMatchObject({ id: before.id, unsubscribedAt: null, tags: ["elections"], consentSource: "page_double_opt_in" });
		expect(after?.unsubscribeToken).not.toBe(before.unsubscribeToken);
	});

	it("leaves a subscriber added meanwhile (by an admin) as it is", async () => {
		const page = await insertPage({ tags: ["withdrawal"], language: "ckb" });
		const email = uniqueEmail();
		const token = tokenIn((await postSubscribe(page.slug, email)).mail.sent[0]);
		const admin = await createSubscriber(db, { email, name: "Desk" }, new Date());
		expect((await form(`/confirm/${token}`)).status).toBe(200);
		expect(await subscriberOf(email)).toEqual(admin);
		expect(await pendingOf(email)).toBeUndefined();
	});

	it("is a 404 page for an unknown token and a 410 page for an expired one or a page made private", async () => {
		for (const path of ["/confirm/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "/confirm/short"]) {
			const res = await open(path);
			expect(res.status).toBe(404);
			expect(res.headers.get("content-type")).toMatch(/^text\/html/);
			expect(await res.text()).toContain("This confirmation link is not valid");
			await problem(await call(path), 404);
		}
		const page = await insertPage();
		const email = uniqueEmail();
		const token = tokenIn((await postSubscribe(page.slug, email)).mail.sent[0]);
		vi.useFakeTimers({ toFake: ["Date"] });
		vi.setSystemTime(Date.now() + 7 * 86_400_000 + 1000);
		await problem(await call(`/confirm/${token}`, { method: "POST" }), 410);
		for (const res of [await open(`/confirm/${token}`), await form(`/confirm/${token}`)]) {
			expect(res.status).toBe(410);
			expect(await res.text()).toContain("This confirmation link has expired");
		}
		vi.useRealTimers();
		const hidden = await insertPage();
		const other = uniqueEmail();
		const hiddenToken = tokenIn((await postSubscribe(hidden.slug, other)).mail.sent[0]);
		await db.$client.prepare("UPDATE pages SET visibility = 'private' WHERE id = ?").bind(hidden.id).run();
		const res = await form(`/confirm/${hiddenToken}`);
		expect(res.status).toBe(410);
		expect(await subscriberOf(email)).toBeUndefined();
		expect(await subscriberOf(other)).toBeUndefined();
	});
});
