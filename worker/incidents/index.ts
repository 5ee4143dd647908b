// What other features may use of incidents: which incidents count, counts and the weekly series
// for status, receipt pruning for the sweep, the Standard Webhooks signer (alert webhooks sign as
// senders do), the input shape and its ACLED CSV for the seed.
export { acledCsv } from "./import";
export { pruneReceipts } from "./intake/receipts";
export { signPayload } from "./intake/signature";
export { countable, incidentCounts } from "./queries";
export type { IncidentInputValue } from "./schema";
export { countIncidentsByWeek, type WeeklySeries, weeklySeries, type ZoneSeries } from "./weekly";
