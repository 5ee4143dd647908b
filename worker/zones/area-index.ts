import { orient2d } from "robust-predicates";
import type { AreaGeometry, Position } from "../db/geojson";

/**
 * Point-in-polygon as turf's booleanPointInPolygon decides it (the point-in-polygon-hao test with
 * exact orientation from robust-predicates; a point on any ring counts as inside), made
 * O(log n + k) per point: each polygon's edges are filed by latitude band once, and a point looks
 * only at the edges of its band. An edge the test would look at spans the point's latitude, so
 * it is always filed in the point's band: the answer is the whole test's, edge for edge.
 */

/** Where a point lies against a set of rings: on one of them, or inside an odd or even number. */
export type Side = "boundary" | "inside" | "outside";

/** One polygon's edges ([x1, y1, x2, y2] each) and, per latitude band, the edges that reach it. */
interface BandedPolygon {
	edges: Float64Array;
	south: number;
	north: number;
	bandHeight: number;
	bandCount: number;
	bands: Uint32Array[];
}

/** A Polygon or MultiPolygon ready for many point tests. */
export interface PreparedArea {
	/** [west, south, east, north] over every ring. */
	bbox: [number, number, number, number];
	contains(longitude: number, latitude: number): boolean;
}

/** Edges per band on average: few enough that a point reads a handful, enough to keep the bands few. */
const EDGES_PER_BAND = 4;

/**
 * The hao test for one edge, relative to the point: "boundary" when the point is on it, else
 * whether the upward ray crosses it (counted once per crossing, vertices included exactly once).
 */
function edgeTest(u1: number, v1: number, u2: number, v2: number): "boundary" | boolean {
	if (v1 === 0 && v2 === 0) return (u2 <= 0 && u1 >= 0) || (u1 <= 0 && u2 >= 0) ? "boundary" : false;
	if ((v2 >= 0 && v1 <= 0) || (v2 <= 0 && v1 >= 0)) {
		const f = orient2d(u1, u2, v1, v2, 0, 0);
		if (f === 0) return "boundary";
		return (f > 0 && v2 > 0 && v1 <= 0) || (f < 0 && v2 <= 0 && v1 > 0);
	}
	return false;
}

/** The point against a polygon's rings, every edge read (for a few tests, such as validation's). */
export function sideOf(rings: readonly (readonly Position[])[], x: number, y: number): Side {
	let crossings = 0;
	for (const ring of rings) {
		for (let i = 0; i + 1 < ring.length; i++) {
			const [x1, y1] = ring[i] as Position;
			const [x2, y2] = ring[i + 1] as Position;
			const hit = edgeTest(x1 - x, y1 - y, x2 - x, y2 - y);
			if (hit === "boundary") return "boundary";
			if (hit) crossings++;
		}
	}
	return crossings % 2 === 1 ? "inside" : "outside";
}

function band(p: BandedPolygon, y: number): number {
	return Math.min(p.bandCount - 1, Math.max(0, Math.floor((y - p.south) / p.bandHeight)));
}

function bandPolygon(rings: readonly (readonly Position[])[]): BandedPolygon {
	const count = rings.reduce((n, r) => n + Math.max(0, r.length - 1), 0);
	const edges = new Float64Array(count * 4);
	let [south, north] = [Infinity, -Infinity];
	let e = 0;
	for (const ring of rings) {
		for (let i = 0; i + 1 < ring.length; i++) {
			const [x1, y1] = ring[i] as Position;
			const [x2, y2] = ring[i + 1] as Position;
			edges.set([x1, y1, x2, y2], e * 4);
			south = Math.min(south, y1, y2);
			north = Math.max(north, y1, y2);
			e++;
		}
	}
	const bandCount = north > south ? Math.max(1, Math.ceil(count / EDGES_PER_BAND)) : 1;
	const p: BandedPolygon = { edges, south, north, bandHeight: north > south ? (north - south) / bandCount : 1, bandCount, bands: [] };
	const filed: number[][] = Array.from({ length: bandCount }, () => []);
	for (let i = 0; i < count; i++) {
		const [y1, y2] = [edges[i * 4 + 1] as number, edges[i * 4 + 3] as number];
		for (let b = band(p, Math.min(y1, y2)), last = band(p, Math.max(y1, y2)); b <= last; b++) filed[b]?.push(i);
	}
	p.bands = filed.map((list) => Uint32Array.from(list));
	return p;
}

function bandedSide(p: BandedPolygon, x: number, y: number): Side {
	if (y < p.south || y > p.north) return "outside";
	let crossings = 0;
	const { edges } = p;
	for (const i of p.bands[band(p, y)] ?? []) {
		const o = i * 4;
		const hit = edgeTest((edges[o] as number) - x, (edges[o + 1] as number) - y, (edges[o + 2] as number) - x, (edges[o + 3] as number) - y);
		if (hit === "boundary") return "boundary";
		if (hit) crossings++;
	}
	return crossings % 2 === 1 ? "inside" : "outside";
}

function prepare(geometry: AreaGeometry): PreparedArea {
	const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
	const banded = polygons.map(bandPolygon);
	let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
	for (const ring of polygons.flat()) {
		for (const [x, y] of ring) {
			[w, e, s, n] = [Math.min(w, x), Math.max(e, x), Math.min(s, y), Math.max(n, y)];
		}
	}
	return {
		bbox: [w, s, e, n],
		contains: (x, y) => x >= w && x <= e && y >= s && y <= n && banded.some((p) => bandedSide(p, x, y) !== "outside"),
	};
}

/** Built once per geometry object: intake keeps its zones per isolate, so their index lives as long. */
const prepared = new WeakMap<AreaGeometry, PreparedArea>();

/** The geometry's index, built on first use. */
export function preparedArea(geometry: AreaGeometry): PreparedArea {
	let area = prepared.get(geometry);
	if (!area) {
		area = prepare(geometry);
		prepared.set(geometry, area);
	}
	return area;
}
