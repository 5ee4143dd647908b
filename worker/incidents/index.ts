// What other features may use of incidents: which incidents count, counts and the weekly series
// for status, receipt pruning for the sweep, the CSV line writer and input shape for the seed.
export { csvLine } from "./acled";
export { pruneReceipts } from "./intake/receipts";
export { countable, incidentCounts } from "./queries";
export type { IncidentInputValue } from "./schema";
export { countIncidentsByWeek, type WeeklySeries, weeklySeries } from "./weekly";
