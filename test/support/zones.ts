// Zones through the API (POST /api/zones, as an admin would), polygon and all: the path that
// assigns incidents, earlier ones included, to a zone. For a bare zone row inserted straight into
// D1, use insertZone in ./incident-rows.
import type { AreaGeometry } from "../../worker/db/geojson";
import { call, uniqueSlug } from "./http";

/** Creates a zone through the API from `over` (a unique slug and a name unless given); returns its id and slug. */
export async function createZone(over: Record<string, unknown> = {}): Promise<{ id: number; slug: string }> {
	const res = await call("/api/zones", { method: "POST", admin: true, json: { slug: uniqueSlug("z"), name: "Test zone", ...over } });
	if (res.status !== 201) throw new Error(`zone create: ${res.status} ${await res.text()}`);
	return (await res.json()) as { id: number; slug: string };
}

/** A square of `size` degrees with its south-west corner at (lon, lat). */
export const square = (lon: number, lat: number, size = 1): AreaGeometry => ({
	type: "Polygon",
	coordinates: [
		[
			[lon, lat],
			[lon + size, lat],
			[lon + size, lat + size],
			[lon, lat + size],
			[lon, lat],
		],
	],
});
