// What other features may use of zones: point-in-zone assignment and the shapes it reads and the query that loads them.
export { parseBBox, type ZoneShape, zoneForPoint } from "./geo";
export { loadZoneShapes } from "./queries";
export type { CreateZoneInput } from "./schema";
