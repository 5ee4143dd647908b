// The status map's projection: pure arithmetic, no markup (map-layout.ts places shapes with it).
// Equirectangular with the east-west scale shrunk by cos(centre latitude): over the few hundred
// kilometres a situation spans, shapes and distances are true to within a few percent, and
// unlike Web Mercator it needs no logarithms. The antimeridian is not handled: a region that
// straddles longitude ±180 is drawn as if it spanned the whole globe.

/** [longitude, latitude] in degrees, GeoJSON order. */
export type LonLat = readonly [number, number];

export interface Bounds {
	west: number;
	south: number;
	east: number;
	north: number;
}

/** A fitted projection into a `width` x `height` box (SVG user units, y down). */
export interface Projection {
	width: number;
	height: number;
	/** Latitude (degrees) the east-west scale is true at. */
	centreLat: number;
	/** Pixels per degree of latitude; a degree of longitude is this times cos(centreLat). */
	pxPerDegree: number;
	project(lon: number, lat: number): [number, number];
	invert(x: number, y: number): [number, number];
}

/** Mean Earth radius (IUGG), the haversine's sphere. */
export const EARTH_RADIUS_KM = 6371.0088;
const RAD = Math.PI / 180;
/** A single point or a line still gets a map this many kilometres across, so it reads as a place. */
const MIN_SPAN_KM = 10;
/** Margin around the fitted bounds, as a share of their span, so edge points are not cut in half. */
const PAD_SHARE = 0.06;

/** The smallest box holding every point, or null when there are none. */
export function boundsOf(points: Iterable<LonLat>): Bounds | null {
	let b: Bounds | null = null;
	for (const [lon, lat] of points) {
		if (!b) b = { west: lon, south: lat, east: lon, north: lat };
		else b = { west: Math.min(b.west, lon), south: Math.min(b.south, lat), east: Math.max(b.east, lon), north: Math.max(b.north, lat) };
	}
	return b;
}

/** Great-circle distance in km (haversine). */
export function haversineKm([lon1, lat1]: LonLat, [lon2, lat2]: LonLat): number {
	const h = Math.sin(((lat2 - lat1) * RAD) / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(((lon2 - lon1) * RAD) / 2) ** 2;
	return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Grows a span (in degrees) to at least `min`, keeping its middle. */
function atLeast(lo: number, hi: number, min: number): [number, number] {
	if (hi - lo >= min) return [lo, hi];
	const mid = (lo + hi) / 2;
	return [mid - min / 2, mid + min / 2];
}

export interface Frame {
	width: number;
	/** Height limits as a share of the width: a tall region must not fill a phone's screen many times over. */
	minAspect: number;
	maxAspect: number;
	/** Space kept free on each side of the drawing, and below it for the scale bar. */
	inset: number;
	bottom: number;
}

/**
 * Fits `bounds` (padded, and grown to MIN_SPAN_KM when degenerate) into a box `frame.width`
 * wide, as tall as the region's shape asks within the aspect limits; one scale for both axes
 * (at the centre latitude), the drawing centred in the box.
 */
export function fitProjection(bounds: Bounds, frame: Frame): Projection {
	const minLat = MIN_SPAN_KM / (EARTH_RADIUS_KM * RAD);
	let [south, north] = atLeast(bounds.south, bounds.north, minLat);
	const centreLat = Math.max(-89, Math.min(89, (south + north) / 2));
	const cos = Math.cos(centreLat * RAD);
	let [west, east] = atLeast(bounds.west, bounds.east, minLat / cos);
	const [padLat, padLon] = [(north - south) * PAD_SHARE, (east - west) * PAD_SHARE];
	[south, north, west, east] = [south - padLat, north + padLat, west - padLon, east + padLon];

	const worldW = (east - west) * cos;
	const worldH = north - south;
	const innerW = frame.width - 2 * frame.inset;
	const wanted = innerW * (worldH / worldW);
	const innerH = Math.round(Math.min(innerW * frame.maxAspect, Math.max(innerW * frame.minAspect, wanted)));
	const k = Math.min(innerW / worldW, innerH / worldH);
	const x0 = frame.inset + (innerW - worldW * k) / 2;
	const y0 = frame.inset + (innerH - worldH * k) / 2;
	return {
		width: frame.width,
		height: innerH + 2 * frame.inset + frame.bottom,
		centreLat,
		pxPerDegree: k,
		project: (lon, lat) => [x0 + (lon - west) * cos * k, y0 + (north - lat) * k],
		invert: (x, y) => [west + (x - x0) / (cos * k), north - (y - y0) / k],
	};
}

/** The largest 1, 2 or 5 × 10^n not above `max` (max > 0). */
export function roundDistance(max: number): number {
	const magnitude = 10 ** Math.floor(Math.log10(max));
	const step = [5, 2, 1].map((m) => m * magnitude).find((d) => d <= max * (1 + 1e-12)) ?? magnitude;
	return step;
}

export interface ScaleBar {
	km: number;
	px: number;
}

/**
 * A scale bar of a round distance at most `maxPx` long, measured along the centre latitude:
 * its ends, `px` apart on that parallel, are `km` apart by the haversine. A parallel is not a
 * great circle, so the angle is solved from the haversine itself rather than from arc length.
 */
export function scaleBar(p: Projection, maxPx: number): ScaleBar {
	const phi = p.centreLat * RAD;
	const pxPerRadLon = (p.pxPerDegree * Math.cos(phi)) / RAD;
	const halfAngle = Math.min(Math.PI / 2, maxPx / pxPerRadLon / 2);
	const maxKm = 2 * EARTH_RADIUS_KM * Math.asin(Math.cos(phi) * Math.sin(halfAngle));
	const km = roundDistance(maxKm);
	const dLon = 2 * Math.asin(Math.min(1, Math.sin(km / (2 * EARTH_RADIUS_KM)) / Math.cos(phi)));
	return { km, px: dLon * pxPerRadLon };
}
