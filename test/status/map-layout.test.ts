import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AreaGeometry } from "../../worker/db/geojson";
import { douglasPeucker, layoutMap, MAP_POINT_CAP, type MapData, type MapZone } from "../../worker/status/map-layout";
import { propertyRuns } from "../support/runs";
import { square } from "../support/zones";

const zone = (slug: string, polygon: AreaGeometry | null): MapZone => ({ slug, name: slug.toUpperCase(), polygon });

/** A polygon of `n` vertices on a circle of `radius` degrees: an outline far more detailed than a map 640 units wide can show. */
function circle(lon: number, lat: number, radius: number, n: number): AreaGeometry {
	const ring = Array.from({ length: n }, (_, i): [number, number] => [
		lon + radius * Math.cos((2 * Math.PI * i) / n),
		lat + radius * Math.sin((2 * Math.PI * i) / n),
	]);
	return { type: "Polygon", coordinates: [[...ring, ring[0] as [number, number]]] };
}

/** Distance from p to segment a-b, as the test's own arithmetic. */
function distance([px, py]: [number, number], [ax, ay]: [number, number], [bx, by]: [number, number]) {
	const [dx, dy] = [bx - ax, by - ay];
	const len2 = dx * dx + dy * dy;
	const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
	return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}

const numbersOf = (d: string) => d.match(/-?\d+(\.\d+)?/g)?.map(Number) ?? [];

describe("douglasPeucker", () => {
	it("keeps both ends, and every vertex it drops lies within the tolerance of the kept line", () => {
		// Tenths, as drawRing hands them over.
		const tenth = fc.integer({ min: 0, max: 1000 }).map((n) => n / 10);
		const pt = fc.tuple(tenth, tenth);
		fc.assert(
			fc.property(fc.array(pt, { minLength: 2, maxLength: 60 }), fc.double({ min: 0.1, max: 5, noNaN: true }), (line, tolerance) => {
				const kept = douglasPeucker(line, tolerance);
				expect(kept[0]).toEqual(line[0]);
				expect(kept.at(-1)).toEqual(line.at(-1));
				let k = 0;
				line.forEach((p, i) => {
					if (p === kept[k]) {
						k++;
						return;
					}
					// Dropped: it lies between kept[k - 1] and kept[k], within the tolerance of that segment.
					expect(i).toBeGreaterThan(0);
					expect(distance(p, kept[k - 1] as [number, number], kept[k] as [number, number])).toBeLessThanOrEqual(tolerance + 1e-9);
				});
				expect(k).toBe(kept.length);
			}),
			{ numRuns: propertyRuns(300) },
		);
	});
});

describe("layoutMap", () => {
	it("draws nothing when no zone has an outline and no incident has coordinates", () => {
		expect(layoutMap({ zones: [zone("bare", null)], incidents: { points: [], withoutCoordinates: 3 } }, [])).toBeNull();
	});

	it("fits the zones and the incidents, even an incident far outside every zone, inside the view box", () => {
		const data: MapData = {
			zones: [zone("a", square(40, 33)), zone("b", square(43, 34, 0.5)), zone("bare", null)],
			incidents: {
				points: [
					{ lon: 40.5, lat: 33.5, zone: "a" },
					{ lon: 46.9, lat: 30.1, zone: null },
				],
				withoutCoordinates: 2,
			},
		};
		const m = layoutMap(data, []);
		expect(m).not.toBeNull();
		if (!m) return;
		expect(m.zones.map((z) => z.slug)).toEqual(["a", "b"]);
		expect(m.points).toHaveLength(2);
		expect(m.points.map((p) => p.zoned)).toEqual([true, false]);
		for (const p of m.points) {
			expect(p.x).toBeGreaterThan(0);
			expect(p.x).toBeLessThan(m.width);
			expect(p.y).toBeGreaterThan(0);
			expect(p.y).toBeLessThan(m.height);
		}
		for (const z of m.zones) for (const v of numbersOf(z.d)) expect(v).toBeLessThanOrEqual(m.width);
		expect(m.summary).toEqual({ mode: "points", zones: 2, incidents: 4, notDrawn: 2 });
		expect(m.counts).toEqual([]);
	});

	it("labels a zone at its centroid and closes each ring with Z, without repeating the first vertex", () => {
		const m = layoutMap({ zones: [zone("sq", square(40, 33, 2))], incidents: { points: [], withoutCoordinates: 0 } }, []);
		const z = m?.zones[0];
		expect(z?.d).toMatch(/^M[\d.]+ [\d.]+( [\d.]+ [\d.]+){3}Z$/);
		const xs = numbersOf(z?.d ?? "").filter((_, i) => i % 2 === 0);
		const ys = numbersOf(z?.d ?? "").filter((_, i) => i % 2 === 1);
		expect(z?.label?.[0]).toBeCloseTo((Math.min(...xs) + Math.max(...xs)) / 2, 0);
		expect(z?.label?.[1]).toBeCloseTo((Math.min(...ys) + Math.max(...ys)) / 2, 0);
	});

	it("draws a MultiPolygon's parts and holes as one path", () => {
		const ring = (lon: number, lat: number, size: number): [number, number][] => [
			[lon, lat],
			[lon + size, lat],
			[lon + size, lat + size],
			[lon, lat + size],
			[lon, lat],
		];
		const holed: AreaGeometry = { type: "MultiPolygon", coordinates: [[ring(40, 33, 2), ring(40.5, 33.5, 1)], [ring(44, 33, 1)]] };
		const d = layoutMap({ zones: [zone("multi", holed)], incidents: { points: [], withoutCoordinates: 0 } }, [])?.zones[0]?.d ?? "";
		expect(d.match(/M/g)).toHaveLength(3);
		expect(d.match(/Z/g)).toHaveLength(3);
	});

	it("simplifies a 5,000-vertex outline to a path of a few kilobytes, coordinates rounded to 0.1", () => {
		const m = layoutMap({ zones: [zone("round", circle(42, 34, 2, 5_000))], incidents: { points: [], withoutCoordinates: 0 } }, []);
		const d = m?.zones[0]?.d ?? "";
		expect(d.length).toBeLessThan(4_000);
		expect(numbersOf(d).length / 2).toBeGreaterThan(30);
		for (const v of numbersOf(d)) expect(Math.round(v * 10) / 10).toBe(v);
	});

	it("above the cap draws each outlined zone's count at its label point and counts the rest as not drawn", () => {
		const data: MapData = { zones: [zone("a", square(40, 33)), zone("b", square(43, 34)), zone("bare", null)], incidents: { tooMany: true } };
		const byZone = [
			{ zone: "a", last_7d: 400 },
			{ zone: "b", last_7d: 100 },
			{ zone: "bare", last_7d: 50 },
			{ zone: null, last_7d: 20 },
		];
		const m = layoutMap(data, byZone);
		expect(m?.points).toEqual([]);
		expect(m?.counts.map((c) => [c.slug, c.n])).toEqual([
			["a", 400],
			["b", 100],
		]);
		const [a, b] = m?.counts ?? [];
		expect(a?.r).toBeGreaterThan(b?.r ?? Infinity);
		expect([a?.x, a?.y]).toEqual(m?.zones[0]?.label);
		expect(m?.summary).toEqual({ mode: "counts", zones: 2, incidents: 570, notDrawn: 70 });
		expect(MAP_POINT_CAP).toBe(500);
	});

	it("leaves zone names off once there are more than a dozen zones", () => {
		const many = (n: number) => Array.from({ length: n }, (_, i) => zone(`z${i}`, square(40 + i, 33)));
		expect(layoutMap({ zones: many(12), incidents: { points: [], withoutCoordinates: 0 } }, [])?.labels).toBe(true);
		expect(layoutMap({ zones: many(13), incidents: { points: [], withoutCoordinates: 0 } }, [])?.labels).toBe(false);
	});
});
