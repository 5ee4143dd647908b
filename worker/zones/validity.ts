import { orient2d } from "robust-predicates";
import type { AreaGeometry, Position } from "../db/geojson";
import { sideOf } from "./area-index";

/**
 * Whether a zone's area is one Vigil can assign incidents to without surprise: each ring simple
 * (no edge meets another but its neighbours at their shared vertex), with an area, not jumping
 * across the antimeridian, and each hole inside its shell without touching it or another hole.
 * Edges meet or not by exact orientation (robust-predicates). Candidate pairs come from a grid
 * of square cells, a few per edge, so a 10,000-vertex ring costs O(n) pair tests unless its
 * edges pile into a few cells.
 */

/** A fault, at a path inside the geometry (["coordinates", 0] is the first ring of a Polygon). */
export interface GeometryFault {
	path: (string | number)[];
	message: string;
}

interface Ring {
	/** Where the ring sits, for the fault's path. */
	path: (string | number)[];
	/** The ring without consecutive repeated positions, and where each came from. */
	points: Position[];
	index: number[];
}

/** One edge: ring r, from points[k] to points[k + 1 mod m]. */
interface Edge {
	ring: number;
	k: number;
	a: Position;
	b: Position;
}

/** Grid cells per edge: enough that a long ring's edges rarely share one, few enough to stay O(n). */
const CELLS_PER_EDGE = 4;

const orient = (a: Position, b: Position, c: Position) => orient2d(a[0], a[1], b[0], b[1], c[0], c[1]);

/** c, known collinear with a-b, lies within the segment's box. */
const within = (a: Position, b: Position, c: Position) =>
	Math.min(a[0], b[0]) <= c[0] && c[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= c[1] && c[1] <= Math.max(a[1], b[1]);

/** Whether two closed segments share any point. */
function meet(e: Edge, f: Edge): boolean {
	const o1 = orient(e.a, e.b, f.a);
	const o2 = orient(e.a, e.b, f.b);
	const o3 = orient(f.a, f.b, e.a);
	const o4 = orient(f.a, f.b, e.b);
	if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0))) return true;
	return (
		(o1 === 0 && within(e.a, e.b, f.a)) || (o2 === 0 && within(e.a, e.b, f.b)) || (o3 === 0 && within(f.a, f.b, e.a)) || (o4 === 0 && within(f.a, f.b, e.b))
	);
}

/** Consecutive edges e then f (sharing e.b = f.a) fold back over each other: a spike. */
function foldsBack(e: Edge, f: Edge): boolean {
	if (orient(e.a, e.b, f.b) !== 0) return false;
	return (e.a[0] - e.b[0]) * (f.b[0] - f.a[0]) + (e.a[1] - e.b[1]) * (f.b[1] - f.a[1]) > 0;
}

function cleaned(ring: readonly Position[], path: (string | number)[]): Ring {
	const points: Position[] = [];
	const index: number[] = [];
	// The closing position repeats the first: leave it out, the last edge comes back to points[0].
	for (let i = 0; i < ring.length - 1; i++) {
		const p = ring[i] as Position;
		const last = points[points.length - 1];
		if (last && last[0] === p[0] && last[1] === p[1]) continue;
		points.push(p);
		index.push(i);
	}
	const first = points[0];
	const tail = points[points.length - 1];
	if (points.length > 1 && first && tail && first[0] === tail[0] && first[1] === tail[1]) {
		points.pop();
		index.pop();
	}
	return { path, points, index };
}

/** The first jump of more than 180° of longitude between consecutive positions, as a message. */
function antimeridianJump(ring: readonly Position[]): string | null {
	for (let i = 0; i + 1 < ring.length; i++) {
		const [a, b] = [(ring[i] as Position)[0], (ring[i + 1] as Position)[0]];
		if (Math.abs(b - a) > 180) {
			return `crosses the antimeridian (longitude ${a} to ${b} between positions ${i} and ${i + 1}): split it at ±180 into a MultiPolygon (RFC 7946 §3.1.9)`;
		}
	}
	return null;
}

/** Calls `visit` with every pair of edges that could meet: those filed in a common grid cell (pairs may repeat). */
function forEachCandidatePair(edges: readonly Edge[], visit: (e: Edge, f: Edge) => void): void {
	let w = Infinity;
	let s = Infinity;
	let e = -Infinity;
	let n = -Infinity;
	for (const { a, b } of edges) {
		w = Math.min(w, a[0], b[0]);
		s = Math.min(s, a[1], b[1]);
		e = Math.max(e, a[0], b[0]);
		n = Math.max(n, a[1], b[1]);
	}
	// Square cells, about CELLS_PER_EDGE per edge over the bounding box: a ring's edges spread thin.
	const size = Math.sqrt(((e - w) * (n - s)) / (CELLS_PER_EDGE * edges.length)) || Math.max(e - w, n - s) / edges.length || 1;
	const [cols, rows] = [Math.max(1, Math.ceil((e - w) / size)), Math.max(1, Math.ceil((n - s) / size))];
	const col = (x: number) => Math.min(cols - 1, Math.max(0, Math.floor((x - w) / size)));
	const row = (y: number) => Math.min(rows - 1, Math.max(0, Math.floor((y - s) / size)));
	const cells = new Map<number, Edge[]>();
	for (const edge of edges) {
		const west = edge.a[0] <= edge.b[0];
		const p = west ? edge.a : edge.b;
		const q = west ? edge.b : edge.a;
		const c0 = col(p[0]);
		const c1 = col(q[0]);
		const at = (x: number) => (q[0] === p[0] ? p[1] : p[1] + ((q[1] - p[1]) * (x - p[0])) / (q[0] - p[0]));
		for (let c = c0; c <= c1; c++) {
			// The edge's latitudes within this column, interpolated: a little slack covers the rounding.
			const y0 = c0 === c1 ? p[1] : at(Math.max(p[0], w + c * size));
			const y1 = c0 === c1 ? q[1] : at(Math.min(q[0], w + (c + 1) * size));
			const slack = size * 1e-6;
			for (let r = row(Math.min(y0, y1) - slack), last = row(Math.max(y0, y1) + slack); r <= last; r++) {
				const key = r * cols + c;
				const list = cells.get(key);
				if (list) list.push(edge);
				else cells.set(key, [edge]);
			}
		}
	}
	for (const list of cells.values()) {
		for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) visit(list[i] as Edge, list[j] as Edge);
	}
}

/** The faults of one polygon's rings (shell first, then holes), at most one per ring. */
function polygonFaults(rings: readonly (readonly Position[])[], at: (string | number)[]): GeometryFault[] {
	const faults = new Map<number, string>();
	rings.forEach((ring, r) => {
		const jump = antimeridianJump(ring);
		if (jump) faults.set(r, `ring ${jump}`);
	});
	// A ring drawn across the antimeridian has no meaning to test further.
	if (faults.size > 0) return [...faults].map(([r, message]) => ({ path: [...at, r], message }));
	const cleanRings = rings.map((ring, r) => cleaned(ring, [...at, r]));
	cleanRings.forEach((ring, r) => {
		const [a, b] = ring.points;
		if (!a || !b || ring.points.every((c) => orient(a, b, c) === 0)) faults.set(r, "ring has no area: its positions lie on one line or repeat one point");
	});
	const edges: Edge[] = cleanRings.flatMap((ring, r) =>
		faults.has(r) ? [] : ring.points.map((a, k) => ({ ring: r, k, a, b: ring.points[(k + 1) % ring.points.length] as Position })),
	);
	const position = (e: Edge) => cleanRings[e.ring]?.index[e.k] ?? e.k;
	const describe = (e: Edge) => `the edge from position ${position(e)}`;
	forEachCandidatePair(edges, (e, f) => {
		if (faults.has(e.ring) && faults.has(f.ring)) return;
		if (e.ring === f.ring) {
			const m = cleanRings[e.ring]?.points.length ?? 0;
			const [first, second] = (e.k + 1) % m === f.k ? [e, f] : (f.k + 1) % m === e.k ? [f, e] : [null, null];
			if (first && second) {
				if (foldsBack(first, second)) faults.set(e.ring, `ring folds back on itself at position ${position(second)}`);
			} else if (meet(e, f)) {
				const [x, y] = e.k < f.k ? [e, f] : [f, e];
				faults.set(e.ring, `ring crosses or touches itself: ${describe(x)} meets ${describe(y)} (a ring must be simple)`);
			}
		} else if (meet(e, f)) {
			const [outer, inner] = e.ring < f.ring ? [e, f] : [f, e];
			const other = outer.ring === 0 ? "the shell" : `hole ${outer.ring}`;
			faults.set(inner.ring, `hole crosses or touches ${other}: ${describe(inner)} meets ${other}'s edge from position ${position(outer)}`);
		}
	});
	const shell = rings[0];
	for (let r = 1; r < cleanRings.length; r++) {
		const start = cleanRings[r]?.points[0];
		if (!shell || !start || faults.has(r) || faults.has(0)) continue;
		if (sideOf([shell], start[0], start[1]) !== "inside") faults.set(r, "hole lies outside its shell");
		else if (rings.some((other, o) => o > 0 && o !== r && !faults.has(o) && sideOf([other], start[0], start[1]) === "inside")) {
			faults.set(r, "hole lies inside another hole");
		}
	}
	return [...faults].sort(([a], [b]) => a - b).map(([r, message]) => ({ path: [...at, r], message }));
}

/** Every fault of a Polygon or MultiPolygon, by ring; empty when the area is valid. */
export function areaFaults(geometry: AreaGeometry): GeometryFault[] {
	if (geometry.type === "Polygon") return polygonFaults(geometry.coordinates, ["coordinates"]);
	return geometry.coordinates.flatMap((polygon, p) => polygonFaults(polygon, ["coordinates", p]));
}
