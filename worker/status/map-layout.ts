import type { AreaGeometry, Position } from "../db/geojson";
import { boundsOf, type Frame, fitProjection, type LonLat, type Projection, scaleBar } from "./map-projection";

/** A zone as the map reads it: its outline may be missing (listed under the map, not drawn). */
export interface MapZone {
	slug: string;
	name: string;
	polygon: AreaGeometry | null;
}

/** A counted incident of the last 7 days with coordinates; `zone` is its zone's slug, if any. */
export interface MapPoint {
	lon: number;
	lat: number;
	zone: string | null;
}

/**
 * What D1 gives the map: every zone, and the week's incidents one by one, or `tooMany` when they
 * are more than MAP_POINT_CAP (the page then draws the per-zone counts /status already has).
 */
export interface MapData {
	zones: MapZone[];
	incidents: { points: MapPoint[]; withoutCoordinates: number } | { tooMany: true };
}

/**
 * Above this many points the map draws one numbered circle per zone instead. 500 dots of 4 px
 * already cover much of a regional map 640 units wide (more tell the reader nothing new), cost
 * about 28 KB of markup (some 55 bytes a point), and cap the D1 read at 501 rows whatever the week held.
 */
export const MAP_POINT_CAP = 500;

const FRAME: Frame = { width: 640, minAspect: 0.5, maxAspect: 1.2, inset: 12, bottom: 34 };
/** Drawn outlines keep no detail finer than this (SVG units, about a screen pixel on a desktop). */
const TOLERANCE = 0.5;
/** With more zones than this, names would pile up: the zones keep their <title> and the table. */
const MAX_LABELS = 12;

export interface MapLayout {
	width: number;
	height: number;
	zones: { slug: string; name: string; d: string; label: [number, number] | null }[];
	points: { x: number; y: number; zoned: boolean }[];
	counts: { slug: string; x: number; y: number; r: number; n: number; name: string }[];
	labels: boolean;
	scale: { x: number; y: number; px: number; km: number };
	/** What the text alternative says: drawn and not drawn. */
	summary: { mode: "points" | "counts"; zones: number; incidents: number; notDrawn: number };
}

/** Rounded to 0.1 SVG unit: finer than any screen shows, and short to send. */
export const tenth = (v: number) => Math.round(v * 10) / 10;

type Pt = readonly [number, number];

/** Distance from p to the segment a-b (to a itself when a = b). */
function segmentDistance([px, py]: Pt, [ax, ay]: Pt, [bx, by]: Pt): number {
	const [dx, dy] = [bx - ax, by - ay];
	const len2 = dx * dx + dy * dy;
	const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
	return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}

/** Douglas–Peucker: the vertices that keep the line within `tolerance` of the original. */
export function douglasPeucker(line: [number, number][], tolerance: number): [number, number][] {
	if (line.length < 3) return line;
	const keep = new Uint8Array(line.length);
	keep[0] = 1;
	keep[line.length - 1] = 1;
	const stack: [number, number][] = [[0, line.length - 1]];
	for (let span = stack.pop(); span; span = stack.pop()) {
		const [from, to] = span;
		let [far, farthest] = [-1, tolerance];
		for (let i = from + 1; i < to; i++) {
			const d = segmentDistance(line[i] as Pt, line[from] as Pt, line[to] as Pt);
			if (d > farthest) [far, farthest] = [i, d];
		}
		if (far < 0) continue;
		keep[far] = 1;
		stack.push([from, far], [far, to]);
	}
	return line.filter((_, i) => keep[i] === 1);
}

/**
 * A ring in SVG units, small enough to send: projected, rounded to 0.1, consecutive duplicates
 * dropped, then simplified to TOLERANCE. A ring that simplification would flatten keeps its
 * rounded vertices; one smaller than 0.1 unit is left out (null).
 */
export function drawRing(ring: readonly Position[], p: Projection): [number, number][] | null {
	const rounded: [number, number][] = [];
	for (const [lon, lat] of ring) {
		const [x, y] = p.project(lon, lat).map(tenth) as [number, number];
		const last = rounded.at(-1);
		if (!last || last[0] !== x || last[1] !== y) rounded.push([x, y]);
	}
	const simple = douglasPeucker(rounded, TOLERANCE);
	const open = (r: [number, number][]) => (r.length > 1 && r[0]?.[0] === r.at(-1)?.[0] && r[0]?.[1] === r.at(-1)?.[1] ? r.slice(0, -1) : r);
	if (open(simple).length >= 3) return open(simple);
	return open(rounded).length >= 3 ? open(rounded) : null;
}

const pathOf = (rings: [number, number][][]) => rings.map((r) => `M${r.map(([x, y]) => `${x} ${y}`).join(" ")}Z`).join("");

/** Twice the area (unsigned) and the centroid of a closed ring. */
function ringCentroid(ring: [number, number][]): { area: number; at: [number, number] } {
	let [a, cx, cy] = [0, 0, 0];
	ring.forEach(([x0, y0], i) => {
		const [x1, y1] = ring[(i + 1) % ring.length] ?? [x0, y0];
		const cross = x0 * y1 - x1 * y0;
		[a, cx, cy] = [a + cross, cx + (x0 + x1) * cross, cy + (y0 + y1) * cross];
	});
	if (a === 0) return { area: 0, at: ring[0] ?? [0, 0] };
	return { area: Math.abs(a), at: [tenth(cx / (3 * a)), tenth(cy / (3 * a))] };
}

const outerRings = (g: AreaGeometry) => (g.type === "Polygon" ? [g.coordinates] : g.coordinates);

/**
 * Places the zones, the week's incidents (or per-zone counts) and a scale bar; null when there
 * is nothing with coordinates to draw. `byZone` is /status's per-zone count (zone slug or null).
 */
export function layoutMap(data: MapData, byZone: readonly { zone: string | null; last_7d: number }[]): MapLayout | null {
	const outlined = data.zones.filter((z): z is MapZone & { polygon: AreaGeometry } => z.polygon !== null);
	const points = "points" in data.incidents ? data.incidents.points : [];
	const corners = function* (): Generator<LonLat> {
		for (const z of outlined) for (const polygon of outerRings(z.polygon)) for (const [lon, lat] of polygon[0] ?? []) yield [lon, lat];
		for (const pt of points) yield [pt.lon, pt.lat];
	};
	const bounds = boundsOf(corners());
	if (!bounds) return null;
	const p = fitProjection(bounds, FRAME);

	const zones = outlined.flatMap((z) => {
		const drawn = (ring: readonly Position[] | undefined) => {
			const r = ring ? drawRing(ring, p) : null;
			return r ? [r] : [];
		};
		// A hole lies inside its outer ring, so when the outer ring is drawn it comes first.
		const parts = outerRings(z.polygon).map((polygon) => polygon.flatMap(drawn));
		const rings = parts.flat();
		const outer = parts.flatMap((part) => part.slice(0, 1));
		const largest = outer.map(ringCentroid).sort((a, b) => b.area - a.area)[0];
		const first = outerRings(z.polygon)[0]?.[0]?.[0];
		// A zone too small to draw at this scale still gets its place (and its count).
		const label = largest?.at ?? (first ? (p.project(first[0], first[1]).map(tenth) as [number, number]) : null);
		return rings.length === 0 && !label ? [] : [{ slug: z.slug, name: z.name, d: pathOf(rings), label }];
	});

	let summary: MapLayout["summary"];
	let counts: MapLayout["counts"] = [];
	let drawnPoints: MapLayout["points"] = [];
	if ("points" in data.incidents) {
		drawnPoints = points.map((pt) => {
			const [x, y] = p.project(pt.lon, pt.lat).map(tenth) as [number, number];
			return { x, y, zoned: pt.zone !== null };
		});
		const total = points.length + data.incidents.withoutCoordinates;
		summary = { mode: "points", zones: zones.length, incidents: total, notDrawn: data.incidents.withoutCoordinates };
	} else {
		const placed = new Map(zones.map((z) => [z.slug, z]));
		const shown = byZone.flatMap((c) => {
			const z = c.zone === null ? undefined : placed.get(c.zone);
			return z?.label && c.last_7d > 0 ? [{ z, n: c.last_7d }] : [];
		});
		const max = Math.max(1, ...shown.map((s) => s.n));
		counts = shown.map(({ z, n }) => ({ slug: z.slug, x: z.label?.[0] ?? 0, y: z.label?.[1] ?? 0, r: tenth(9 + 9 * Math.sqrt(n / max)), n, name: z.name }));
		const total = byZone.reduce((sum, c) => sum + c.last_7d, 0);
		summary = { mode: "counts", zones: zones.length, incidents: total, notDrawn: total - shown.reduce((sum, s) => sum + s.n, 0) };
	}
	const bar = scaleBar(p, FRAME.width / 4);
	return {
		width: p.width,
		height: p.height,
		zones,
		points: drawnPoints,
		counts,
		labels: zones.length <= MAX_LABELS,
		scale: { x: FRAME.inset, y: p.height - 10, px: tenth(bar.px), km: bar.km },
		summary,
	};
}
