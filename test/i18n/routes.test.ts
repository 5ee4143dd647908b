// Languages through the Worker: ?lang= on the HTML pages, and translated titles accepted,
// validated, returned and shown.
import { describe, expect, it } from "vitest";
import { call, problem, uniqueSlug } from "../support/http";

const FUTURE = "2099-09";

async function milestone(body: Record<string, unknown>) {
	return call("/api/milestones", { method: "POST", admin: true, json: { slug: uniqueSlug(), title: "Handover", due: FUTURE, ...body } });
}

describe("?lang on the HTML pages", () => {
	it("renders / in Arabic or Sorani for one view, right to left, and says so in Content-Language", async () => {
		const ar = await call("/?lang=ar");
		expect(ar.status).toBe(200);
		expect(ar.headers.get("content-language")).toBe("ar-IQ");
		expect(await ar.text()).toMatch(/^<!DOCTYPE html><html lang="ar-IQ" dir="rtl">|^<html lang="ar-IQ" dir="rtl">/);
		expect(await (await call("/?lang=ckb")).text()).toContain('<html lang="ckb-IQ" dir="rtl">');
		const en = await call("/");
		expect(en.headers.get("content-language")).toBe("en");
		expect(await en.text()).toContain('<html lang="en" dir="ltr">');
	});

	it("refuses a language it does not have with a 400 problem, rather than guessing", async () => {
		const body = await problem(await call("/?lang=fr"), 400);
		expect(body.errors?.[0]?.path).toBe("/lang");
		await problem(await call("/?lang=AR"), 400);
	});

	it("shows the unsubscribe page in the asked language and keeps it for the answer", async () => {
		const email = `${uniqueSlug("s")}@example.org`;
		const created = (await (await call("/api/subscribers", { method: "POST", admin: true, json: { email } })).json()) as { unsubscribe_url: string };
		const path = new URL(created.unsubscribe_url).pathname;
		const page = await (await call(`${path}?lang=ar`)).text();
		expect(page).toContain('<html lang="ar-IQ" dir="rtl">');
		expect(page).toContain(`<form method="post" action="${path}?lang=ar">`);
		expect(page).toContain(`<bdi dir="ltr">${email}</bdi>`);
		const done = await (await call(`${path}?lang=ckb`, { method: "POST" })).text();
		expect(done).toContain("بەتاڵ کرایەوە");
		await problem(await call(`${path}?lang=de`), 400);
	});
});

describe("title_i18n and name_i18n", () => {
	it("are accepted, returned, changed and cleared on milestones", async () => {
		const res = await milestone({ title_i18n: { ar: "التسليم", ckb: "ڕادەستکردن" } });
		expect(res.status).toBe(201);
		const created = (await res.json()) as { id: number; title_i18n: unknown };
		expect(created.title_i18n).toEqual({ ar: "التسليم", ckb: "ڕادەستکردن" });
		expect(((await (await call(`/api/milestones/${created.id}`)).json()) as { title_i18n: unknown }).title_i18n).toEqual({ ar: "التسليم", ckb: "ڕادەستکردن" });
		const patched = await call(`/api/milestones/${created.id}`, { method: "PATCH", admin: true, json: { title_i18n: { ar: "تسليم القاعدة" } } });
		expect(((await patched.json()) as { title_i18n: unknown }).title_i18n).toEqual({ ar: "تسليم القاعدة" });
		const cleared = await call(`/api/milestones/${created.id}`, { method: "PATCH", admin: true, json: { title_i18n: null } });
		expect(((await cleared.json()) as { title_i18n: unknown }).title_i18n).toBeNull();
		expect(((await (await milestone({})).json()) as { title_i18n: unknown }).title_i18n).toBeNull();
	});

	it("take only ar and ckb, each a non-empty single line of at most 200 characters", async () => {
		for (const title_i18n of [{ fr: "Remise" }, { en: "Handover" }, { ar: "" }, { ar: "   " }, { ckb: "x".repeat(201) }, { ar: "a\nb" }, { ar: 3 }, ["ar"]]) {
			const body = await problem(await milestone({ title_i18n }), 422);
			expect(
				body.errors?.some((e) => e.path.startsWith("/title_i18n")),
				JSON.stringify(title_i18n),
			).toBe(true);
		}
	});

	it("show on the status page in the page's language, and the original, marked English, where one is missing", async () => {
		const title = `Handover ${uniqueSlug()}`;
		await milestone({ title, title_i18n: { ar: `التسليم ${title.slice(-6)}` } });
		const ar = await (await call("/?lang=ar", { headers: { "cache-control": "no-cache" } })).text();
		expect(ar).toContain(`<bdi>التسليم ${title.slice(-6)}</bdi>`);
		expect(ar).not.toContain(`>${title}<`);
		const ckb = await (await call("/?lang=ckb", { headers: { "cache-control": "no-cache" } })).text();
		expect(ckb).toContain(`<bdi lang="en">${title}</bdi>`);
	});

	it("are accepted and returned on zones, and refused when not ar/ckb", async () => {
		const slug = uniqueSlug("z");
		const res = await call("/api/zones", { method: "POST", admin: true, json: { slug, name: "Hamrin", name_i18n: { ar: "جبال حمرين" } } });
		expect(res.status).toBe(201);
		expect(((await res.json()) as { name_i18n: unknown }).name_i18n).toEqual({ ar: "جبال حمرين" });
		const patched = await call(`/api/zones/${slug}`, { method: "PATCH", admin: true, json: { name_i18n: { ckb: "چیاکانی حەمرین" } } });
		expect(((await patched.json()) as { name_i18n: unknown }).name_i18n).toEqual({ ckb: "چیاکانی حەمرین" });
		await problem(await call("/api/zones", { method: "POST", admin: true, json: { slug: uniqueSlug("z"), name: "X", name_i18n: { tr: "Hamrin" } } }), 422);
	});
});
