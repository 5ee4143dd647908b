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
	it("creates a zone with a polygon (admin only) and reads it back by slug as a public read", async () => {
		const slug = uniqueSlug("z");
		const res = await call("/api/zones", {
			method: "POST",
			admin: true,
			json: { slug, name: "Wadi Hauran", country: "Iraq", admin1: "Al Anbar", polygon: square },
		});
		expect(res.status).toBe(201);
		expect(await res.json()).toMatchObject({ slug, name: "Wadi Hauran", polygon: square, backfill: { done: true, assigned: 0 } });
		await problem(await call("/api/zones", { method: "POST", json: { slug: uniqueSlug("z"), name: "anonymous" } }), 401);
		expect(await (await call(`/api/zones/${slug}`)).json()).toMatchObject({ slug, backfill: { done: true } });
		const list = (await (await call("/api/zones?limit=200")).json()) as { items: { slug: string }[] };
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

	it.each([
		[
			"a bowtie",
			[
				[
					[40, 32],
					[42, 34],
					[42, 32],
					[40, 34],
					[40, 32],
				],
			],
			"/polygon/coordinates/0",
			/crosses or touches itself/,
		],
		[
			"a ring with no area",
			[
				[
					[40, 32],
					[41, 33],
					[42, 34],
					[40, 32],
				],
			],
			"/polygon/coordinates/0",
			/no area/,
		],
		[
			"a hole outside its shell",
			[
				square.coordinates[0],
				[
					[50, 10],
					[50, 11],
					[51, 11],
					[50, 10],
				],
			],
			"/polygon/coordinates/1",
			/hole lies outside its shell/,
		],
		[
			"a ring across the antimeridian",
			[
				[
					[179, 10],
					[-179, 10],
					[-179, 12],
					[179, 12],
					[179, 10],
				],
			],
			"/polygon/coordinates/0",
			/split it at ±180 into a MultiPolygon/,
		],
	])("refuses %s with 422 naming the ring, and writes nothing", async (_name, coordinates, path, message) => {
		const before = await count();
		const body = await problem(
			await call("/api/zones", { method: "POST", admin: true, json: { slug: uniqueSlug("z"), name: "bad", polygon: { type: "Polygon", coordinates } } }),
			422,
		);
		expect(body.errors).toEqual([{ path, message: expect.stringMatching(message) }]);
		expect(await count()).toBe(before);
	});

	it("answers 409 for a duplicate slug", async () => {
		const slug = uniqueSlug("z");
		await call("/api/zones", { method: "POST", admin: true, json: { slug, name: "one" } });
		await problem(await call("/api/zones", { method: "POST", admin: true, json: { slug, name: "two" } }), 409);
	});
});
