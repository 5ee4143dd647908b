// The status page's HTML is reused within STATUS_CACHE_SECONDS, with each response's own nonce,
// and never across what it depends on: scope, page, language, configuration problems, data.
import { createExecutionContext, env } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../../worker/app";
import { call as callAsAdmin, uniqueSlug } from "../support/http";
import { createPage, createTaggedMilestone } from "../support/pages";

const app = createApp();
const cachedEnv = { ...env, STATUS_CACHE_SECONDS: "60" };
let hour = 0;

async function page(path: string, init: RequestInit = {}, bindings: object = cachedEnv) {
	const res = await app.fetch(new Request(`https://vigil.test${path}`, init), bindings, createExecutionContext());
	expect(res.status).toBe(200);
	const html = await res.text();
	const csp = res.headers.get("content-security-policy") ?? "";
	const nonce = /'nonce-([^']+)'/.exec(csp)?.[1] ?? "";
	return { html, nonce, age: res.headers.get("age"), lang: res.headers.get("content-language") };
}
const fresh = { headers: { "cache-control": "no-cache" } };
/** The HTML with this response's nonce taken out, after checking it is where it belongs and nowhere else. */
function withoutNonce({ html, nonce }: { html: string; nonce: string }) {
	expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
	expect(html.split(nonce)).toHaveLength(3);
	expect(html.match(/nonce="[^"]*"/g)).toEqual([`nonce="${nonce}"`, `nonce="${nonce}"`]);
	return html.replaceAll(nonce, "N");
}

describe("the status page's HTML reused within STATUS_CACHE_SECONDS", () => {
	beforeEach(() => {
		vi.useFakeTimers({ toFake: ["Date"] });
		// An hour apart, so no test meets another's reused page.
		vi.setSystemTime(new Date(Date.UTC(2031, 0, 1, hour++)));
	});
	afterEach(() => vi.useRealTimers());

	it("is the fresh render's HTML, with a nonce of its own in each response", async () => {
		const first = await page("/");
		const again = await page("/");
		const rendered = await page("/", fresh);
		expect(new Set([first.nonce, again.nonce, rendered.nonce]).size).toBe(3);
		expect(withoutNonce(again)).toBe(withoutNonce(first));
		expect(withoutNonce(rendered)).toBe(withoutNonce(first));
	});

	it("keeps its Age and shows new data only after the window, or at once with Cache-Control: no-cache", async () => {
		await page("/");
		const m = await createTaggedMilestone([uniqueSlug("t")], { due: "2031-03" });
		vi.setSystemTime(new Date(Date.now() + 3000));
		const reused = await page("/");
		expect(reused.age).toBe("3");
		expect(reused.html).not.toContain(m.title);
		const bypassed = await page("/", fresh);
		expect(bypassed.age).toBe("0");
		expect(bypassed.html).toContain(m.title);
		expect((await page("/")).html).toContain(m.title);
	});

	it("answers each ?lang in its own language", async () => {
		const en = await page("/");
		const ar = await page("/?lang=ar");
		expect(ar.lang).toBe("ar-IQ");
		expect(ar.html).toMatch(/^<html lang="ar-IQ" dir="rtl">/);
		expect(en.html).toMatch(/^<html lang="en" dir="ltr">/);
		expect((await page("/")).html).toMatch(/^<html lang="en" dir="ltr">/);
	});

	it("judges the configuration on every answer: a missing setting shows at once, and goes", async () => {
		const ok = await page("/");
		expect(ok.html).not.toContain("SECRETS_KEY");
		const broken = await page("/", {}, { ...cachedEnv, SECRETS_KEY: "" });
		expect(broken.html).toContain("configuration incomplete (SECRETS_KEY)");
		expect((await page("/")).html).not.toContain("SECRETS_KEY");
	});

	it("never answers one page with another's HTML, nor with the instance's", async () => {
		const [ta, tb] = [uniqueSlug("t"), uniqueSlug("t")];
		const a = await createTaggedMilestone([ta], { due: "2031-04" });
		const b = await createTaggedMilestone([tb], { due: "2031-04" });
		const pa = await createPage({ tags: [ta], title: "Page A" });
		const pb = await createPage({ tags: [tb], title: "Page B" });
		const whole = await page("/");
		const htmlA = (await page(`/p/${pa.slug}`)).html;
		const htmlB = (await page(`/p/${pb.slug}`)).html;
		expect(htmlA).toContain(a.title);
		expect(htmlA).not.toContain(b.title);
		expect(htmlB).toContain(b.title);
		expect(htmlB).not.toContain(a.title);
		expect((await page(`/p/${pa.slug}`)).html).toContain("Page A");
		expect(withoutNonce(await page("/"))).toBe(withoutNonce(whole));
		expect(withoutNonce(await page(`/p/${pa.slug}`))).not.toBe(withoutNonce(whole));
	});

	it("renders a page again at once when its tags or its title change", async () => {
		const [ta, tb] = [uniqueSlug("t"), uniqueSlug("t")];
		const a = await createTaggedMilestone([ta], { due: "2031-05" });
		const b = await createTaggedMilestone([tb], { due: "2031-05" });
		const p = await createPage({ tags: [ta], title: "Before" });
		expect((await page(`/p/${p.slug}`)).html).toContain(a.title);
		const patch = (json: object) => callAsAdmin(`/api/pages/${p.id}`, { method: "PATCH", admin: true, json });
		expect((await patch({ tags: [tb] })).status).toBe(200);
		const retagged = (await page(`/p/${p.slug}`)).html;
		expect(retagged).toContain(b.title);
		expect(retagged).not.toContain(a.title);
		expect((await patch({ title: "After" })).status).toBe(200);
		const renamed = (await page(`/p/${p.slug}`)).html;
		expect(renamed).toContain("After");
		expect(renamed).not.toContain("Before");
	});
});
