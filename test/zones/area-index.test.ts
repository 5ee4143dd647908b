import booleanPointInPolygon from "@turf/boolean-point-in-polygon";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Position } from "../../worker/db/geojson";
import { preparedArea } from "../../worker/zones/area-index";
import type { AreaGeometryValue } from "../../worker/zones/schema";

// Coordinates on a coarse grid (halves of small integers), so points fall on vertices and edges,
// and edges run horizontal and vertical, as often as in general position.
const coord = fc.integer({ min: -8, max: 8 }).map((n) => n / 2);
const position = fc.tuple(coord, coord).map(([x, y]) => [x, y] as Position);
const ring = fc.array(position, { minLength: 3, maxLength: 12 }).map((ps) => [...ps, ps[0] as Position]);
const polygon = fc.array(ring, { minLength: 1, maxLength: 3 });
// Any closed rings at all, bowties and spikes included: zones stored before validation existed must be read the same.
const geometry: fc.Arbitrary<AreaGeometryValue> = fc.oneof(
	polygon.map((coordinates) => ({ type: "Polygon" as const, coordinates })),
	fc.array(polygon, { minLength: 1, maxLength: 3 }).map((coordinates) => ({ type: "MultiPolygon" as const, coordinates })),
);

/** A ring of n vertices around a circle (closed). */
function circle(n: number, cx: number, cy: number, r: number): Position[] {
	const ps = Array.from({ length: n }, (_, i) => [cx + r * Math.cos((2 * Math.PI * i) / n), cy + r * Math.sin((2 * Math.PI * i) / n)] as Position);
	return [...ps, ps[0] as Position];
}

describe("preparedArea", () => {
	it("answers as turf's booleanPointInPolygon for any closed rings and any point, boundaries included", () => {
		fc.assert(
			fc.property(geometry, fc.array(position, { minLength: 1, maxLength: 20 }), (g, points) => {
				const area = preparedArea(g);
				for (const [x, y] of points) expect(area.contains(x, y)).toBe(booleanPointInPolygon([x, y], g));
			}),
			{ numRuns: 400 },
		);
	});

	it("answers as turf for a 9,999-vertex ring with a hole, at points in general position", () => {
		const g: AreaGeometryValue = { type: "Polygon", coordinates: [circle(9_998, 42, 33, 1), circle(500, 42.2, 33, 0.3).reverse()] };
		const area = preparedArea(g);
		fc.assert(
			fc.property(fc.double({ min: 40.5, max: 43.5, noNaN: true }), fc.double({ min: 31.5, max: 34.5, noNaN: true }), (x, y) => {
				expect(area.contains(x, y)).toBe(booleanPointInPolygon([x, y], g));
			}),
			{ numRuns: 2_000 },
		);
	});

	it("counts a vertex and a point on an edge as inside, a point in a hole as outside", () => {
		const square: Position[] = [
			[0, 0],
			[4, 0],
			[4, 4],
			[0, 4],
			[0, 0],
		];
		const hole: Position[] = [
			[1, 1],
			[1, 3],
			[3, 3],
			[3, 1],
			[1, 1],
		];
		const area = preparedArea({ type: "Polygon", coordinates: [square, hole] });
		expect([area.contains(4, 4), area.contains(2, 0), area.contains(1, 2), area.contains(2, 2), area.contains(0.5, 2), area.contains(5, 2)]).toEqual([
			true,
			true,
			true,
			false,
			true,
			false,
		]);
	});
});
