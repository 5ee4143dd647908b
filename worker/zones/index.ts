// What other features may use of zones: point-in-zone assignment and the shapes it reads.
export { parseBBox, type ZoneShape, zoneForPoint } from "./geo";
export type { CreateZoneInput } from "./schema";
