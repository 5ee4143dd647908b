import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AreaGeometry, Position } from "../../worker/db/geojson";
import { areaFaults } from "../../worker/zones/validity";

const closed = (...rings: Position[][]): Position[][] => rings.map((r) => [...r, r[0] as Position]);
const polygon = (...rings: Position[][]): AreaGeometry => ({ type: "Polygon", coordinates: closed(...rings) });
const square = (x: number, y: number, size: number): Position[] => [
	[x, y],
	[x + size, y],
	[x + size, y + size],
	[x, y + size],
];

/** A ring of n vertices around a circle (not closed). */
const circle = (n: number, cx: number, cy: number, r: number): Position[] =>
	Array.from({ length: n }, (_, i) => [cx + r * Math.cos((2 * Math.PI * i) / n), cy + r * Math.sin((2 * Math.PI * i) / n)] as Position);

/**
 * The oracle: every pair of edges, in exact integer arithmetic. A ring is valid when it has three
 * distinct corners off one line, no two edges that are not neighbours share a point, and no
 * neighbours fold back over each other.
 */
function simpleByBruteForce(ring: Position[]): boolean {
	const pts = ring.filter((p, i) => {
		const prev = ring[(i + ring.length - 1) % ring.length] as Position;
		return ring.length === 1 || p[0] !== prev[0] || p[1] !== prev[1];
	});
	const m = pts.length;
	const cross = (a: Position, b: Position, c: Position) => Math.sign((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]));
	const on = (a: Position, b: Position, c: Position) =>
		cross(a, b, c) === 0 && Math.min(a[0], b[0]) <= c[0] && c[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= c[1] && c[1] <= Math.max(a[1], b[1]);
	if (m < 3 || pts.every((p) => cross(pts[0] as Position, pts[1] as Position, p) === 0)) return false;
	const edge = (k: number): [Position, Position] => [pts[k] as Position, pts[(k + 1) % m] as Position];
	for (let i = 0; i < m; i++) {
		for (let j = i + 1; j < m; j++) {
			const [a, b] = edge(i);
			const [c, d] = edge(j);
			if (j === i + 1 || (i === 0 && j === m - 1)) {
				// Neighbours share one vertex; anything more is a fold.
				const [p, shared, q] = j === i + 1 ? [a, b, d] : [c, a, b];
				if (cross(p, shared, q) === 0 && (p[0] - shared[0]) * (q[0] - shared[0]) + (p[1] - shared[1]) * (q[1] - shared[1]) > 0) return false;
				continue;
			}
			const crosses = cross(a, b, c) * cross(a, b, d) < 0 && cross(c, d, a) * cross(c, d, b) < 0;
			if (crosses || on(a, b, c) || on(a, b, d) || on(c, d, a) || on(c, d, b)) return false;
		}
	}
	return true;
}

describe("areaFaults", () => {
	it("accepts a square with a hole, and a MultiPolygon of two squares", () => {
		expect(areaFaults(polygon(square(0, 0, 4), square(1, 1, 2).reverse()))).toEqual([]);
		const two: AreaGeometry = { type: "MultiPolygon", coordinates: [closed(square(0, 0, 1)), closed(square(5, 5, 1))] };
		expect(areaFaults(two)).toEqual([]);
	});

	it("refuses a bowtie, naming the ring and the edges that cross", () => {
		const bowtie = polygon([
			[0, 0],
			[2, 2],
			[2, 0],
			[0, 2],
		]);
		expect(areaFaults(bowtie)).toEqual([
			{ path: ["coordinates", 0], message: "ring crosses or touches itself: the edge from position 0 meets the edge from position 2 (a ring must be simple)" },
		]);
	});

	it("refuses a ring with no area and a ring that folds back on itself", () => {
		const line = polygon([
			[0, 0],
			[1, 1],
			[2, 2],
		]);
		expect(areaFaults(line)).toEqual([{ path: ["coordinates", 0], message: "ring has no area: its positions lie on one line or repeat one point" }]);
		const spike = polygon([
			[0, 0],
			[4, 0],
			[4, 4],
			[4, 6],
			[4, 5],
			[0, 4],
		]);
		expect(areaFaults(spike)[0]?.message).toMatch(/folds back on itself at position 3/);
	});

	it("refuses a hole outside its shell, one crossing it, and one inside another hole, each at the hole's path", () => {
		expect(areaFaults(polygon(square(0, 0, 4), square(10, 10, 1)))).toEqual([{ path: ["coordinates", 1], message: "hole lies outside its shell" }]);
		expect(areaFaults(polygon(square(0, 0, 4), square(3, 1, 2)))[0]).toMatchObject({
			path: ["coordinates", 1],
			message: expect.stringMatching(/^hole crosses or touches the shell/),
		});
		expect(areaFaults(polygon(square(0, 0, 10), square(1, 1, 6), square(2, 2, 1)))).toEqual([
			{ path: ["coordinates", 2], message: "hole lies inside another hole" },
		]);
	});

	it("refuses a ring across the antimeridian, saying to split it into a MultiPolygon", () => {
		const across = polygon([
			[179, 10],
			[-179, 10],
			[-179, 12],
			[179, 12],
		]);
		const [fault] = areaFaults(across);
		expect(fault?.path).toEqual(["coordinates", 0]);
		expect(fault?.message).toMatch(/antimeridian .*split it at ±180 into a MultiPolygon \(RFC 7946 §3\.1\.9\)/);
	});

	it("names the polygon and ring inside a MultiPolygon", () => {
		const g: AreaGeometry = {
			type: "MultiPolygon",
			coordinates: [closed(square(0, 0, 1)), closed(square(5, 5, 4), square(20, 20, 1))],
		};
		expect(areaFaults(g)).toEqual([{ path: ["coordinates", 1, 1], message: "hole lies outside its shell" }]);
	});

	it("accepts a 9,999-vertex ring and finds the one crossing a moved vertex makes in it", () => {
		const ring = circle(9_998, 42, 33, 1);
		expect(areaFaults(polygon(ring))).toEqual([]);
		const bent = [...ring];
		bent[5_000] = [43.5, 33.001]; // pulled out through the far side of the circle: its two edges cross it
		expect(areaFaults(polygon(bent))[0]?.message).toMatch(/^ring crosses or touches itself/);
	});

	it("agrees with a brute-force check of every pair of edges on any small ring", () => {
		const coord = fc.integer({ min: 0, max: 6 });
		fc.assert(
			fc.property(fc.array(fc.tuple(coord, coord), { minLength: 3, maxLength: 9 }), (points) => {
				const ring = points.map(([x, y]) => [x, y] as Position);
				expect(areaFaults(polygon(ring)).length === 0).toBe(simpleByBruteForce(ring));
			}),
			{ numRuns: 2_000 },
		);
	});

	it("accepts every star-shaped ring (distinct angles around a centre), whatever its radii", () => {
		fc.assert(
			fc.property(
				fc.uniqueArray(fc.integer({ min: 0, max: 3599 }), { minLength: 3, maxLength: 60 }),
				fc.infiniteStream(fc.double({ min: 0.1, max: 5, noNaN: true })),
				(angles, radii) => {
					const ring = angles
						.sort((a, b) => a - b)
						.map((a) => {
							const r = radii.next().value as number;
							return [10 + r * Math.cos((a * Math.PI) / 1800), 10 + r * Math.sin((a * Math.PI) / 1800)] as Position;
						});
					// Sorted by angle around the centre, the ring is simple when no gap between neighbours reaches 180°.
					fc.pre(angles.every((a, i) => ((angles[(i + 1) % angles.length] as number) - a + 3600) % 3600 < 1800));
					expect(areaFaults(polygon(ring))).toEqual([]);
				},
			),
			{ numRuns: 300 },
		);
	});
});
