// What other features may use of zones: point-in-zone assignment, the shapes and version intake caches, and the sweep's backfill work.
export { finishBackfills, SWEEP_BACKFILL_PAGES } from "./backfill";
export { parseBBox, type ZoneShape, zoneForPoint } from "./geo";
export { loadZoneSet, loadZoneShapes, zoneSetVersion } from "./queries";
export type { CreateZoneInput } from "./schema";
