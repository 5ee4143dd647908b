// What other features may use of incidents: the columns a read selects (not the raw message) for
// the feeds; which incidents count, counts and the weekly series for status; receipt pruning and
// retention for the sweep; the Standard Webhooks signer (alert webhooks sign as senders do); the
// input shape and its ACLED CSV for the seed; the ingest queue's consumers (queues.ts) and what
// they record of messages never written, for status and sources, and its pruning for the sweep.
export { SHOWN_COLUMNS, type ShownRow } from "./columns";
export { acledCsv } from "./import";
export { consumeIngest, consumeIngestDeadLetters } from "./intake/consume";
export { ingestFailureCounts, pruneIngestFailures, type SourceIngestFailures, sourceIngestFailures } from "./intake/failures";
export { pruneReceipts } from "./intake/receipts";
export { signPayload } from "./intake/signature";
export { countable, incidentCounts, inZones, type ZoneSlugs } from "./queries";
export { pruneIncidents, retentionBacklog } from "./retention";
export type { IncidentInputValue } from "./schema";
export { countIncidentsByWeek, type WeeklySeries, weeklySeries, type ZoneSeries } from "./weekly";
