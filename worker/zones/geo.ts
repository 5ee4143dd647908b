import { preparedArea } from "./area-index";
import type { AreaGeometryValue } from "./schema";

/** A zone as zone assignment needs it. */
export interface ZoneShape {
	id: number;
	slug: string;
	polygon: AreaGeometryValue | null;
}

/** [west, south, east, north] in degrees. */
export type BBox = [number, number, number, number];

/** The bounding box of a Polygon or MultiPolygon (outer rings suffice). */
export function geometryBBox(geometry: AreaGeometryValue): BBox {
	const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
	let [w, s, e, n] = [180, 90, -180, -90];
	for (const polygon of polygons) {
		for (const [lon, lat] of polygon[0] ?? []) {
			w = Math.min(w, lon);
			e = Math.max(e, lon);
			s = Math.min(s, lat);
			n = Math.max(n, lat);
		}
	}
	return [w, s, e, n];
}

const bboxArea = ([w, s, e, n]: BBox) => (e - w) * (n - s);

/**
 * The zone whose polygon contains the point (holes respected, boundary counts as inside; each
 * polygon indexed once, area-index.ts). When polygons overlap (a valley inside a desert), the most specific wins:
 * the smallest bounding box, then the lowest id, so the answer never depends on row order.
 */
export function zoneForPoint(zones: readonly ZoneShape[], longitude: number, latitude: number): ZoneShape | null {
	let best: { zone: ZoneShape; area: number } | null = null;
	for (const zone of zones) {
		if (!zone.polygon) continue;
		if (!preparedArea(zone.polygon).contains(longitude, latitude)) continue;
		const area = bboxArea(geometryBBox(zone.polygon));
		if (!best || area < best.area || (area === best.area && zone.id < best.zone.id)) best = { zone, area };
	}
	return best?.zone ?? null;
}

/** Reads `bbox=west,south,east,north` (RFC 7946 order); null when it is not one. */
export function parseBBox(text: string): BBox | null {
	const parts = text.split(",").map((p) => p.trim());
	if (parts.length !== 4 || parts.some((p) => p === "" || !Number.isFinite(Number(p)))) return null;
	const [w, s, e, n] = parts.map(Number) as BBox;
	if (w < -180 || e > 180 || s < -90 || n > 90 || s > n || w > e) return null;
	return [w, s, e, n];
}
