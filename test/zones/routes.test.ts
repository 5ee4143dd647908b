import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call, problem, uniqueSlug } from "../support/http";

const square = {
	type: "Polygon",
	coordinates: [
		[
			[40, 32],
			[42, 32],
			[42, 34],
			[40, 34],
			[40, 32],
		],
	],
};
const count = async () => (await env.DB.prepare("SELECT count(*) AS n FROM zones").first<{ n: number }>())?.n ?? 0;

describe("/api/zones", () => {
	it("creates a zone with a polygon and reads it back by slug (admin only)", async () => {
		const slug = uniqueSlug("z");
		const res = await call("/api/zones", {
			method: "POST",
			admin: true,
			json: { slug, name: "Wadi Hauran", country: "Iraq", admin1: "Al Anbar", polygon: square },
		});
		expect(res.status).toBe(201);
		expect(await res.json()).toMatchObject({ slug, name: "Wadi Hauran", polygon: square });
		expect((await call(`/api/zones/${slug}`, { admin: true })).status).toBe(200);
		await problem(await call(`/api/zones/${slug}`), 401);
		const list = (await (await call("/api/zones?limit=200", { admin: true })).json()) as { items: { slug: string }[] };
		expect(list.items.map((z) => z.slug)).toContain(slug);
	});

	it.each([
		[
			"an open ring",
			{
				type: "Polygon",
				coordinates: [
					[
						[40, 32],
						[42, 32],
						[42, 34],
						[40, 34],
					],
				],
			},
		],
		[
			"a latitude past 90",
			{
				type: "Polygon",
				coordinates: [
					[
						[40, 32],
						[42, 95],
						[42, 34],
						[40, 34],
						[40, 32],
					],
				],
			},
		],
		[
			"a longitude past 180",
			{
				type: "Polygon",
				coordinates: [
					[
						[181, 32],
						[42, 32],
						[42, 34],
						[40, 34],
						[181, 32],
					],
				],
			},
		],
		["a point", { type: "Point", coordinates: [40, 32] }],
	])("refuses %s and writes nothing", async (_name, polygon) => {
		const before = await count();
		await problem(await call("/api/zones", { method: "POST", admin: true, json: { slug: uniqueSlug("z"), name: "bad", polygon } }), 422);
		expect(await count()).toBe(before);
	});

	it("refuses a slug of digits only (it would read as an id) with 422 naming /slug", async () => {
		const body = await problem(await call("/api/zones", { method: "POST", admin: true, json: { slug: "2025", name: "digits" } }), 422);
		expect(body.errors).toEqual([{ path: "/slug", message: expect.stringMatching(/letter/) }]);
		await problem(await call("/api/zones/2025", { admin: true }), 404);
	});

	it("answers 409 for a duplicate slug", async () => {
		const slug = uniqueSlug("z");
		await call("/api/zones", { method: "POST", admin: true, json: { slug, name: "one" } });
		await problem(await call("/api/zones", { method: "POST", admin: true, json: { slug, name: "two" } }), 409);
	});
});
