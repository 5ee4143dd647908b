import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { boundsOf, type Frame, fitProjection, haversineKm, type Projection, roundDistance, scaleBar } from "../../worker/status/map-projection";
import { propertyRuns } from "../support/runs";

const FRAME: Frame = { width: 640, minAspect: 0.5, maxAspect: 1.2, inset: 12, bottom: 34 };

/** A regional box somewhere on Earth away from the poles and the antimeridian (which the map does not handle), 0 to 25 degrees a side. */
const region = fc
	.record({
		west: fc.double({ min: -170, max: 150, noNaN: true }),
		south: fc.double({ min: -70, max: 60, noNaN: true }),
		w: fc.double({ min: 0, max: 25, noNaN: true }),
		h: fc.double({ min: 0, max: 15, noNaN: true }),
	})
	.map(({ west, south, w, h }) => ({ west, south, east: west + w, north: south + h }));
const share = fc.double({ min: 0, max: 1, noNaN: true });

/** px per km along the centre parallel and along the meridian, from tiny steps measured by the haversine. */
function pxPerKm(p: Projection) {
	const [lon, lat, step] = [p.invert(p.width / 2, 0)[0], p.centreLat, 0.001];
	const [x0, y0] = p.project(lon, lat);
	const [x1] = p.project(lon + step, lat);
	const [, y1] = p.project(lon, lat + step);
	return { east: (x1 - x0) / haversineKm([lon, lat], [lon + step, lat]), north: (y0 - y1) / haversineKm([lon, lat], [lon, lat + step]) };
}

describe("fitProjection", () => {
	it("puts every point of the bounds inside the drawing area, above the scale bar's strip", () => {
		fc.assert(
			fc.property(region, share, share, (b, u, v) => {
				const p = fitProjection(b, FRAME);
				const [x, y] = p.project(b.west + u * (b.east - b.west), b.south + v * (b.north - b.south));
				expect(x).toBeGreaterThanOrEqual(FRAME.inset - 1e-6);
				expect(x).toBeLessThanOrEqual(FRAME.width - FRAME.inset + 1e-6);
				expect(y).toBeGreaterThanOrEqual(FRAME.inset - 1e-6);
				expect(y).toBeLessThanOrEqual(p.height - FRAME.inset - FRAME.bottom + 1e-6);
			}),
			{ numRuns: propertyRuns(500) },
		);
	});

	it("keeps the aspect: a km east is as long as a km north at the centre latitude, and the box stays within its height limits", () => {
		fc.assert(
			fc.property(region, (b) => {
				const p = fitProjection(b, FRAME);
				const k = pxPerKm(p);
				expect(k.east / k.north).toBeGreaterThan(0.999);
				expect(k.east / k.north).toBeLessThan(1.001);
				const inner = p.height - 2 * FRAME.inset - FRAME.bottom;
				const innerW = FRAME.width - 2 * FRAME.inset;
				expect(inner).toBeGreaterThanOrEqual(Math.floor(innerW * FRAME.minAspect));
				expect(inner).toBeLessThanOrEqual(Math.ceil(innerW * FRAME.maxAspect));
			}),
			{ numRuns: propertyRuns(300) },
		);
	});

	it("inverts what it projects", () => {
		fc.assert(
			fc.property(region, share, share, (b, u, v) => {
				const p = fitProjection(b, FRAME);
				const lon = b.west + u * (b.east - b.west);
				const lat = b.south + v * (b.north - b.south);
				const [lon2, lat2] = p.invert(...p.project(lon, lat));
				expect(lon2).toBeCloseTo(lon, 9);
				expect(lat2).toBeCloseTo(lat, 9);
			}),
			{ numRuns: propertyRuns(200) },
		);
	});

	it("draws a single point in the middle of a map at least 10 km across, not a division by zero", () => {
		const p = fitProjection({ west: 44.3661, south: 33.3152, east: 44.3661, north: 33.3152 }, FRAME);
		const [x, y] = p.project(44.3661, 33.3152);
		expect(x).toBeCloseTo(FRAME.width / 2, 6);
		expect(y).toBeCloseTo((p.height - FRAME.bottom) / 2, 6);
		const [w] = p.invert(FRAME.inset, y);
		const [e] = p.invert(FRAME.width - FRAME.inset, y);
		expect(haversineKm([w, p.centreLat], [e, p.centreLat])).toBeGreaterThanOrEqual(10);
		expect(Number.isFinite(p.height)).toBe(true);
	});

	it("gives a line along a meridian (no width) a width, and a line along a parallel a height", () => {
		for (const b of [
			{ west: 42, south: 32, east: 42, north: 36 },
			{ west: 38, south: 33, east: 44, north: 33 },
		]) {
			const p = fitProjection(b, FRAME);
			const [x0, y0] = p.project(b.west, b.south);
			const [x1, y1] = p.project(b.east, b.north);
			expect(Number.isFinite(x0 + y0 + x1 + y1)).toBe(true);
			expect(p.height).toBeGreaterThan(FRAME.bottom + 2 * FRAME.inset);
		}
	});
});

describe("boundsOf", () => {
	it("is null for no points and the enclosing box otherwise", () => {
		expect(boundsOf([])).toBeNull();
		expect(
			boundsOf([
				[44, 33],
				[39, 35],
				[42, 32],
			]),
		).toEqual({ west: 39, south: 32, east: 44, north: 35 });
	});
});

describe("haversineKm", () => {
	it("measures a degree of latitude as about 111.2 km and Baghdad to Mosul as about 350 km", () => {
		expect(haversineKm([44, 33], [44, 34])).toBeCloseTo(111.19, 1);
		expect(haversineKm([44.3661, 33.3152], [43.1189, 36.3456])).toBeGreaterThan(345);
		expect(haversineKm([44.3661, 33.3152], [43.1189, 36.3456])).toBeLessThan(360);
	});
});

describe("scale bar", () => {
	it("rounds down to 1, 2 or 5 times a power of ten", () => {
		expect([0.7, 1, 1.9, 2, 4.99, 5, 9.9, 10, 37, 260, 1234].map(roundDistance)).toEqual([0.5, 1, 1, 2, 2, 5, 5, 10, 20, 200, 1000]);
	});

	it("is a round distance whose length in px on the centre parallel is that distance by the haversine, within 1%", () => {
		fc.assert(
			fc.property(region, fc.integer({ min: 60, max: 320 }), (b, maxPx) => {
				const p = fitProjection(b, FRAME);
				const bar = scaleBar(p, maxPx);
				const mantissa = bar.km / 10 ** Math.floor(Math.log10(bar.km) + 1e-9);
				expect([1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-6)).toBe(true);
				expect(bar.px).toBeLessThanOrEqual(maxPx + 1e-6);
				// The next round distance (at most 2.5 times this one) would not have fitted.
				expect(bar.px).toBeGreaterThan(maxPx / 2.5 - 1e-6);
				const y = p.project(0, p.centreLat)[1];
				const measured = haversineKm(p.invert(FRAME.inset, y), p.invert(FRAME.inset + bar.px, y));
				expect(Math.abs(measured - bar.km) / bar.km).toBeLessThan(0.01);
			}),
			{ numRuns: propertyRuns(500) },
		);
	});
});
