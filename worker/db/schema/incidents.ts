// Incidents, the sources that send them, their hourly counts and the webhook receipts.
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, instant } from "./columns";
import { PRECISIONS } from "./milestones";
import { zones } from "./zones";

export const VERIFICATIONS = ["unverified", "verified", "rejected"] as const;

/**
 * The incidents /status does not count: retracted or rejected. Written as the partial index's
 * predicate, and a query uses that index only when its WHERE holds this very term (so the text is
 * shared, and 'rejected' is a literal, not a bound parameter).
 */
export const UNCOUNTED = sql.raw("(retracted_at IS NOT NULL OR verification = 'rejected')");
/** The index of only the UNCOUNTED incidents, by occurred_at; named in INDEXED BY, as the planner cannot tell it is the small one. */
export const UNCOUNTED_INDEX = "incidents_uncounted_occurred";

/** A webhook sender. Secrets are AES-GCM ciphertexts under SECRETS_KEY, never plaintext. */
export const sources = sqliteTable("sources", {
	id: integer("id").primaryKey({ autoIncrement: true }),
	slug: text("slug").notNull().unique(),
	name: text("name").notNull(),
	active: integer("active", { mode: "boolean" }).notNull().default(true),
	secretEnc: text("secret_enc").notNull(),
	/** The secret before the last rotation, still accepted until previous_expires_at. */
	previousSecretEnc: text("previous_secret_enc"),
	previousExpiresAt: instant("previous_expires_at"),
	createdAt: createdAt(),
	rotatedAt: instant("rotated_at"),
});

/** An incident report, with ACLED's field names where ACLED has one. */
export const incidents = sqliteTable(
	"incidents",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		sourceId: integer("source_id")
			.notNull()
			.references(() => sources.id),
		externalId: text("external_id").notNull(),
		/** event_date as sent, its precision, and the instant it stands for. */
		eventDate: text("event_date").notNull(),
		occurredPrecision: text("occurred_precision", { enum: PRECISIONS }).notNull(),
		occurredAt: instant("occurred_at").notNull(),
		reportedAt: instant("reported_at").notNull(),
		updatedAt: instant("updated_at").notNull(),
		eventType: text("event_type").notNull(),
		subEventType: text("sub_event_type"),
		actor1: text("actor1"),
		actor2: text("actor2"),
		fatalities: integer("fatalities").notNull().default(0),
		country: text("country"),
		admin1: text("admin1"),
		location: text("location"),
		latitude: real("latitude"),
		longitude: real("longitude"),
		zoneId: integer("zone_id").references(() => zones.id),
		notes: text("notes"),
		/** ACLED's `source`: who reported it (an outlet), not the webhook sender. */
		reportSource: text("report_source"),
		sourceUrl: text("source_url"),
		tags: text("tags", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
		verification: text("verification", { enum: VERIFICATIONS }).notNull().default("unverified"),
		verificationNote: text("verification_note"),
		/** Set by incident.retracted: the row stays, counts and exports skip it. */
		retractedAt: instant("retracted_at"),
		raw: text("raw", { mode: "json" }).$type<unknown>(),
	},
	(t) => [
		uniqueIndex("incidents_source_external").on(t.sourceId, t.externalId),
		index("incidents_occurred").on(t.occurredAt, t.id),
		// Covers the /status counts and the weekly chart: a time range read from the index alone.
		index("incidents_occurred_counts").on(t.occurredAt, t.zoneId, t.verification, t.retractedAt),
		index("incidents_zone_occurred").on(t.zoneId, t.occurredAt),
		// A zone and an event type together (the list's commonest pair of filters) seek straight to
		// their rows, newest first, instead of walking every incident of the zone to find a rare type.
		index("incidents_zone_type_occurred").on(t.zoneId, t.eventType, t.occurredAt),
		// The list filtered by source, newest first, without sorting all of that source's rows.
		index("incidents_source_occurred").on(t.sourceId, t.occurredAt, t.id),
		index("incidents_type_occurred").on(t.eventType, t.occurredAt),
		index("incidents_verification_occurred").on(t.verification, t.occurredAt),
		index("incidents_reported").on(t.reportedAt),
		// Retention deletes retracted and rejected reports sooner (incidents/retention.ts): they are
		// found, oldest first, in an index of only them, however many counted incidents there are.
		index(UNCOUNTED_INDEX).on(t.occurredAt).where(UNCOUNTED),
	],
);

/**
 * Counted incidents (not retracted, not rejected) per zone and UTC hour, kept exact by every write of
 * incidents in its own batch (db/hourly.ts): /status reads a week as at most 168 rows a zone, however many incidents.
 */
export const incidentHourly = sqliteTable(
	"incident_hourly",
	{
		/** The incident's zone id, or 0 for no zone (ids start at 1), so "no zone" is a key like any other. */
		zoneKey: integer("zone_key").notNull(),
		/** floor(occurred_at / 3,600,000): whole hours since the epoch, rounded down before 1970 too. */
		hour: integer("hour").notNull(),
		n: integer("n").notNull(),
		verified: integer("verified").notNull(),
	},
	// Hour first: every read is a range of hours. The partial index holds only emptied buckets, which
	// every write of incidents deletes in its batch (db/hourly.ts) without reading the others.
	(t) => [primaryKey({ columns: [t.hour, t.zoneKey] }), index("incident_hourly_empty").on(t.hour).where(sql`n = 0`)],
);

/**
 * Webhook receipts: each accepted message's webhook-id, body digest and answer, so a repeat gets the
 * first answer and writes nothing (alert sending is the `alerts` ledger). The SQL table is named
 * `deliveries`: renaming it would take a migration and change nothing else.
 */
export const receipts = sqliteTable(
	"deliveries",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		sourceId: integer("source_id")
			.notNull()
			.references(() => sources.id),
		webhookId: text("webhook_id").notNull(),
		bodySha256: text("body_sha256").notNull(),
		/** The status answered: 202 (a refused message leaves no receipt). */
		status: integer("status").notNull(),
		response: text("response", { mode: "json" }).$type<unknown>().notNull(),
		createdAt: createdAt(),
	},
	(t) => [uniqueIndex("deliveries_source_webhook").on(t.sourceId, t.webhookId), index("deliveries_created").on(t.createdAt)],
);

/** What became of a queued webhook message that was never written (docs/intake.md, "Queued mode"). */
export const INGEST_FAILURE_KINDS = ["rejected", "dead_lettered"] as const;

/**
 * Queued webhook messages that were answered 202 but never written: rejected by the consumer against
 * fresh data (a zone deleted, the source deactivated since), or kept by the dead-letter queue after
 * their retries. One row per message and fate, so a redelivered batch records nothing twice.
 */
export const ingestFailures = sqliteTable(
	"ingest_failures",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		sourceId: integer("source_id")
			.notNull()
			.references(() => sources.id),
		webhookId: text("webhook_id").notNull(),
		kind: text("kind", { enum: INGEST_FAILURE_KINDS }).notNull(),
		/** A short code (`zone_missing`, `inactive`, …) and the words a sender would have read in a 422. */
		reason: text("reason").notNull(),
		detail: text("detail").notNull(),
		receivedAt: instant("received_at").notNull(),
		recordedAt: instant("recorded_at").notNull(),
	},
	// /status counts a kind over a window; GET /api/sources/:id counts one source's and shows its last.
	(t) => [
		uniqueIndex("ingest_failures_message").on(t.sourceId, t.webhookId, t.kind),
		index("ingest_failures_kind_recorded").on(t.kind, t.recordedAt),
		index("ingest_failures_source_recorded").on(t.sourceId, t.recordedAt),
	],
);

export type SourceRow = typeof sources.$inferSelect;
export type IncidentRow = typeof incidents.$inferSelect;
export type IncidentHourlyRow = typeof incidentHourly.$inferSelect;
export type IngestFailureRow = typeof ingestFailures.$inferSelect;
