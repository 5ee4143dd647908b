import type { z } from "@hono/zod-openapi";
import type { Zone } from "./schema";

// Response examples for the OpenAPI document, typed by the schemas they illustrate so they
// cannot drift from them (test/http/openapi.test.ts also parses each one).

export const zoneExample = {
	id: 3,
	slug: "wadi-hauran",
	name: "Wadi Hauran",
	country: "Iraq",
	admin1: "Al Anbar",
	description: "",
	polygon: {
		type: "Polygon",
		coordinates: [
			[
				[40.2, 33.6],
				[41.6, 33.6],
				[41.6, 32.9],
				[40.2, 32.9],
				[40.2, 33.6],
			],
		],
	},
	created_at: "2025-01-15T09:00:00.000Z",
} satisfies z.infer<typeof Zone>;

export const zoneListExample = { items: [zoneExample], next_cursor: null };
