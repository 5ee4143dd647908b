/**
 * A zone's area as stored: a GeoJSON Polygon or MultiPolygon geometry (RFC 7946, longitude
 * first). The zod schema in zones/schema.ts validates input and is checked against this type.
 */
export type Position = [number, number, ...number[]];
export type AreaGeometry = { type: "Polygon"; coordinates: Position[][] } | { type: "MultiPolygon"; coordinates: Position[][][] };
