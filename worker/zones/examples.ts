import type { z } from "@hono/zod-openapi";
import type { DeletedZone, WrittenZone, Zone } from "./schema";

// Response examples for the OpenAPI document, typed by the schemas they illustrate so they
// cannot drift from them (test/http/openapi.test.ts also parses each one).

export const zoneExample = {
	id: 3,
	slug: "wadi-hauran",
	name: "Wadi Hauran",
	name_i18n: { ar: "وادي حوران", ckb: "دۆڵی حەوران" },
	country: "Iraq",
	admin1: "Al Anbar",
	description: "",
	polygon: {
		type: "Polygon",
		coordinates: [
			[
				[40.2, 33.6],
				[40.2, 32.9],
				[41.6, 32.9],
				[41.6, 33.6],
				[40.2, 33.6],
			],
		],
	},
	backfill: { done: true },
	created_at: "2025-01-15T09:00:00.000Z",
	updated_at: "2025-01-15T09:00:00.000Z",
} satisfies z.infer<typeof Zone>;

export const zoneListExample = { items: [zoneExample], next_cursor: null };

/** A zone just drawn over many earlier incidents: the request placed some, the sweep places the rest. */
export const writtenZoneExample = { ...zoneExample, backfill: { done: false, assigned: 212 } } satisfies z.infer<typeof WrittenZone>;

export const editedZoneExample = {
	...zoneExample,
	name: "Wadi Hauran (upper valley)",
	backfill: { done: true, assigned: 0 },
	updated_at: "2025-03-02T10:30:00.000Z",
} satisfies z.infer<typeof WrittenZone>;

export const deletedZoneExample = { ...zoneExample, incidents_unassigned: 41 } satisfies z.infer<typeof DeletedZone>;
