// /api/pages: create, read, change and delete situation pages; what is refused, and who may do what.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { PageJsonValue } from "../../worker/pages/schema";
import { ADMIN, call, problem, uniqueSlug } from "../support/http";
import { callWithReadToken, createPage, createTaggedMilestone, READ_TOKEN } from "../support/pages";
import { createZone } from "../support/zones";

const pageRow = (slug: string) => env.DB.prepare("SELECT * FROM pages WHERE slug = ?").bind(slug).first();
const pageCount = async () => (await env.DB.prepare("SELECT count(*) AS n, total(updated_at) AS u FROM pages").first()) as { n: number; u: number };

describe("POST /api/pages", () => {
	it("creates a page with its tags and zones and answers its id, slug and url", async () => {
		const tag = uniqueSlug("t");
		await createTaggedMilestone([tag]);
		const zone = await createZone();
		const slug = uniqueSlug("p");
		const res = await call("/api/pages", {
			method: "POST",
			admin: true,
			json: { slug, title: "Badia watch", description: "The desert.", language: "ar", tags: [tag, tag], zones: [zone.slug], visibility: "private" },
		});
		expect(res.status).toBe(201);
		const body = (await res.json()) as PageJsonValue;
		expect(body).toMatchObject({
			slug,
			url: `https://vigil.test/p/${slug}`,
			title: "Badia watch",
			language: "ar",
			tags: [tag],
			zones: [zone.slug],
			visibility: "private",
		});
		expect(res.headers.get("location")).toBe(`/api/pages/${body.id}`);
		expect(await pageRow(slug)).toMatchObject({ id: body.id, title: "Badia watch", tags: JSON.stringify([tag]), visibility: "private" });
	});

	it("takes, answers and changes translated titles (title_i18n), and refuses a language key it does not know", async () => {
		const page = await createPage({ title_i18n: { ar: "مراقبة البادية" } });
		const read = async () => ((await (await call(`/api/pages/${page.id}`)).json()) as PageJsonValue).title_i18n;
		expect(await read()).toEqual({ ar: "مراقبة البادية" });
		const patched = await call(`/api/pages/${page.id}`, { method: "PATCH", admin: true, json: { title_i18n: { ckb: "چاودێری بادیە" } } });
		expect(patched.status).toBe(200);
		expect(await read()).toEqual({ ckb: "چاودێری بادیە" });
		await call(`/api/pages/${page.id}`, { method: "PATCH", admin: true, json: { title_i18n: null } });
		expect(await read()).toBeNull();
		await problem(await call(`/api/pages/${page.id}`, { method: "PATCH", admin: true, json: { title_i18n: { fr: "x" } } }), 422);
		expect((await (await call("/api/pages?limit=200")).json()) as { items: PageJsonValue[] }).toMatchObject({
			items: expect.arrayContaining([expect.objectContaining({ id: page.id, title_i18n: null })]),
		});
	});

	it("defaults to a public English page over everything", async () => {
		const page = await createPage();
		const body = (await (await call(`/api/pages/${page.id}`)).json()) as PageJsonValue;
		expect(body).toMatchObject({ title_i18n: null, description: "", language: "en", tags: [], zones: [], visibility: "public", updated_at: null });
	});

	it("refuses an unknown tag or zone with a 422 naming it, and writes nothing", async () => {
		const tag = uniqueSlug("t");
		await createTaggedMilestone([tag]);
		const before = await pageCount();
		const unknownTag = await problem(
			await call("/api/pages", { method: "POST", admin: true, json: { slug: uniqueSlug("p"), title: "x", tags: [tag, "no-such-tag"] } }),
			422,
		);
		expect(unknownTag.errors).toEqual([{ path: "/tags/1", message: 'no milestone has the tag "no-such-tag"' }]);
		const unknownZone = await problem(
			await call("/api/pages", { method: "POST", admin: true, json: { slug: uniqueSlug("p"), title: "x", zones: ["no-such-zone"] } }),
			422,
		);
		expect(unknownZone.errors).toEqual([{ path: "/zones/0", message: 'no zone "no-such-zone"' }]);
		expect(await pageCount()).toEqual(before);
	});

	it.each([
		["uppercase", "Iraq"],
		["spaces", "iraq after"],
		["digits only (it would read as an id)", "2025"],
		["a double hyphen", "iraq--2025"],
	])("refuses a slug with %s (422)", async (_, slug) => {
		const before = await pageCount();
		const body = await problem(await call("/api/pages", { method: "POST", admin: true, json: { slug, title: "x" } }), 422);
		expect(body.errors?.[0]?.path).toBe("/slug");
		expect(await pageCount()).toEqual(before);
	});

	it("refuses unknown fields, a bad language or visibility, and an empty title (422)", async () => {
		for (const extra of [{ colour: "red" }, { language: "fr" }, { visibility: "secret" }, { title: "  " }]) {
			await problem(await call("/api/pages", { method: "POST", admin: true, json: { slug: uniqueSlug("p"), title: "x", ...extra } }), 422);
		}
	});

	it("answers 409 for a taken slug and leaves the first page as it was", async () => {
		const page = await createPage({ title: "First" });
		const body = await problem(await call("/api/pages", { method: "POST", admin: true, json: { slug: page.slug, title: "Second" } }), 409);
		expect(body.errors).toEqual([{ path: "/slug", message: "already taken" }]);
		expect(await pageRow(page.slug)).toMatchObject({ title: "First" });
	});
});

describe("/api/pages/:id", () => {
	it("reads a page by id or slug, changes it, then deletes it", async () => {
		const tag = uniqueSlug("t");
		await createTaggedMilestone([tag]);
		const page = await createPage({ title: "Before" });
		expect(((await (await call(`/api/pages/${page.slug}`)).json()) as PageJsonValue).id).toBe(page.id);
		const patched = await call(`/api/pages/${page.id}`, { method: "PATCH", admin: true, json: { title: "After", tags: [tag], visibility: "private" } });
		expect(patched.status).toBe(200);
		expect(await patched.json()).toMatchObject({ slug: page.slug, title: "After", tags: [tag], visibility: "private", updated_at: expect.any(String) });
		expect((await call(`/api/pages/${page.slug}`, { method: "DELETE", admin: true })).status).toBe(204);
		expect(await pageRow(page.slug)).toBeNull();
		await problem(await call(`/api/pages/${page.id}`, { admin: true }), 404);
		await problem(await call(`/p/${page.slug}`), 404);
	});

	it("refuses a PATCH naming an unknown zone, an empty PATCH and a new slug (422), and changes nothing", async () => {
		const page = await createPage({ title: "Kept" });
		const unknown = await problem(await call(`/api/pages/${page.id}`, { method: "PATCH", admin: true, json: { zones: ["nowhere-at-all"] } }), 422);
		expect(unknown.errors).toEqual([{ path: "/zones/0", message: 'no zone "nowhere-at-all"' }]);
		await problem(await call(`/api/pages/${page.id}`, { method: "PATCH", admin: true, json: {} }), 422);
		await problem(await call(`/api/pages/${page.id}`, { method: "PATCH", admin: true, json: { slug: uniqueSlug("p") } }), 422);
		expect(await pageRow(page.slug)).toMatchObject({ title: "Kept", zones: "[]", updated_at: null });
	});

	it("answers 404 for a page that does not exist, on every verb", async () => {
		await problem(await call("/api/pages/no-such-page"), 404);
		await problem(await call("/api/pages/999999999", { method: "PATCH", admin: true, json: { title: "x" } }), 404);
		await problem(await call("/api/pages/no-such-page", { method: "DELETE", admin: true }), 404);
	});
});

describe("who may do what", () => {
	it("refuses writes without the admin token (401), the read token included, and writes nothing", async () => {
		const page = await createPage({ title: "Guarded" });
		const before = await pageCount();
		const attempts: [string, RequestInit][] = [
			["/api/pages", { method: "POST", body: JSON.stringify({ slug: uniqueSlug("p"), title: "x" }) }],
			[`/api/pages/${page.id}`, { method: "PATCH", body: JSON.stringify({ title: "changed" }) }],
			[`/api/pages/${page.id}`, { method: "DELETE" }],
		];
		for (const [path, init] of attempts) {
			const headers = { "content-type": "application/json" };
			await problem(await call(path, { ...init, headers }), 401);
			await problem(await callWithReadToken(path, { ...init, headers: { ...headers, authorization: `Bearer ${READ_TOKEN}` } }), 401);
		}
		expect(await pageCount()).toEqual(before);
		expect(await pageRow(page.slug)).toMatchObject({ title: "Guarded" });
	});

	it("lists public pages to everyone, and private ones only to a caller with the read or admin token", async () => {
		const open = await createPage({ title: "Open" });
		const closed = await createPage({ title: "Closed", visibility: "private" });
		// This file makes far fewer than 200 pages: one page of the list holds them all.
		const slugs = async (res: Response) => {
			expect(res.status).toBe(200);
			const body = (await res.json()) as { items: PageJsonValue[]; next_cursor: string | null };
			expect(body.next_cursor).toBeNull();
			return body.items.map((p) => p.slug);
		};
		const anonymous = await slugs(await call("/api/pages?limit=200"));
		expect(anonymous).toContain(open.slug);
		expect(anonymous).not.toContain(closed.slug);
		expect(await slugs(await call("/api/pages?limit=200", { headers: ADMIN }))).toEqual(expect.arrayContaining([open.slug, closed.slug]));
		const reader = await callWithReadToken("/api/pages?limit=200", { headers: { authorization: `Bearer ${READ_TOKEN}` } });
		expect(await slugs(reader)).toEqual(expect.arrayContaining([open.slug, closed.slug]));
		await problem(await callWithReadToken("/api/pages"), 401);
	});

	it("shows a private page's definition only with a token (401 without)", async () => {
		const closed = await createPage({ visibility: "private" });
		await problem(await call(`/api/pages/${closed.id}`), 401);
		expect((await call(`/api/pages/${closed.id}`, { headers: ADMIN })).status).toBe(200);
		expect((await callWithReadToken(`/api/pages/${closed.slug}`, { headers: { authorization: `Bearer ${READ_TOKEN}` } })).status).toBe(200);
	});
});
