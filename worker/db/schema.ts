import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { AreaGeometry } from "./geojson";

/** Milliseconds since the epoch, read and written as a Date. The name stays a literal type, as drizzle's own builders keep it. */
const instant = <Name extends string>(name: Name) => integer(name, { mode: "timestamp_ms" });
const createdAt = () => instant("created_at").notNull().default(sql`(unixepoch('subsec') * 1000)`);

export const MILESTONE_KINDS = ["deadline", "event"] as const;
export const MILESTONE_STATUSES = ["scheduled", "met", "missed", "cancelled"] as const;
export const PRECISIONS = ["year", "quarter", "month", "day", "instant"] as const;

export const milestones = sqliteTable(
	"milestones",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		slug: text("slug").notNull().unique(),
		title: text("title").notNull(),
		description: text("description").notNull().default(""),
		tags: text("tags", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
		kind: text("kind", { enum: MILESTONE_KINDS }).notNull().default("deadline"),
		/** `due` exactly as written ("2025-09", "2025-Q3", an RFC 3339 instant...). */
		due: text("due").notNull(),
		precision: text("precision", { enum: PRECISIONS }).notNull(),
		timezone: text("timezone").notNull(),
		/** The UTC instant alerts count down to, derived from due, kind and timezone. */
		dueAt: instant("due_at").notNull(),
		status: text("status", { enum: MILESTONE_STATUSES }).notNull().default("scheduled"),
		alertOffsets: text("alert_offsets", { mode: "json" }).$type<string[]>().notNull(),
		sourceUrl: text("source_url"),
		slipCount: integer("slip_count").notNull().default(0),
		/** When the sweep must next look at this milestone (a threshold, overdue, a reminder); null: never. */
		nextCheckAt: instant("next_check_at"),
		createdAt: createdAt(),
		updatedAt: instant("updated_at").notNull(),
	},
	(t) => [
		index("milestones_status_due_at").on(t.status, t.dueAt, t.id),
		index("milestones_due_at").on(t.dueAt, t.id),
		index("milestones_next_check").on(t.nextCheckAt),
	],
);

/** Every change of a milestone's due_at: its history, and the slip alerts' work queue. */
export const milestoneRevisions = sqliteTable(
	"milestone_revisions",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		milestoneId: integer("milestone_id")
			.notNull()
			.references(() => milestones.id),
		oldDue: text("old_due").notNull(),
		newDue: text("new_due").notNull(),
		oldDueAt: instant("old_due_at").notNull(),
		newDueAt: instant("new_due_at").notNull(),
		reason: text("reason"),
		createdAt: createdAt(),
	},
	(t) => [index("milestone_revisions_milestone").on(t.milestoneId, t.id), index("milestone_revisions_created").on(t.createdAt)],
);

export const zones = sqliteTable("zones", {
	id: integer("id").primaryKey({ autoIncrement: true }),
	slug: text("slug").notNull().unique(),
	name: text("name").notNull(),
	country: text("country"),
	admin1: text("admin1"),
	description: text("description").notNull().default(""),
	/** A GeoJSON Polygon or MultiPolygon geometry (RFC 7946), or null. */
	polygon: text("polygon", { mode: "json" }).$type<AreaGeometry>(),
	createdAt: createdAt(),
});

/** One row per scheduled() invocation: what ran, when, what it did, how it ended. */
export const cronRuns = sqliteTable(
	"cron_runs",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		cron: text("cron").notNull(),
		job: text("job").notNull(),
		scheduledTime: instant("scheduled_time").notNull(),
		startedAt: instant("started_at").notNull(),
		finishedAt: instant("finished_at"),
		counts: text("counts", { mode: "json" }).$type<Record<string, number>>(),
		error: text("error"),
	},
	(t) => [index("cron_runs_job_started").on(t.job, t.startedAt)],
);

export type MilestoneRow = typeof milestones.$inferSelect;
export type MilestoneRevisionRow = typeof milestoneRevisions.$inferSelect;
export type ZoneRow = typeof zones.$inferSelect;
export type CronRunRow = typeof cronRuns.$inferSelect;

export const VERIFICATIONS = ["unverified", "verified", "rejected"] as const;

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
	],
);

/**
 * Counted incidents (not retracted, not rejected) per zone and UTC hour, kept exact by triggers on
 * incidents (migration 0007): /status reads a week as at most 168 rows a zone, however many incidents.
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
	// Hour first: every read is a range of hours.
	(t) => [primaryKey({ columns: [t.hour, t.zoneKey] })],
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

export type SourceRow = typeof sources.$inferSelect;
export type IncidentRow = typeof incidents.$inferSelect;
export type ReceiptRow = typeof receipts.$inferSelect;
export type IncidentHourlyRow = typeof incidentHourly.$inferSelect;

/** An alert recipient and what they want to hear about. */
export const subscribers = sqliteTable("subscribers", {
	id: integer("id").primaryKey({ autoIncrement: true }),
	email: text("email").notNull().unique(),
	name: text("name"),
	/** Zone slugs and milestone tags; empty means everything. */
	zones: text("zones", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
	tags: text("tags", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
	digest: integer("digest", { mode: "boolean" }).notNull().default(true),
	paused: integer("paused", { mode: "boolean" }).notNull().default(false),
	unsubscribeToken: text("unsubscribe_token").notNull().unique(),
	unsubscribedAt: instant("unsubscribed_at"),
	lastDigestAt: instant("last_digest_at"),
	createdAt: createdAt(),
});

export const ALERT_KINDS = ["deadline", "slip", "overdue", "surge", "digest"] as const;
export const ALERT_STATUSES = ["pending", "sent", "failed"] as const;

/** The alert ledger: one row per (what, to whom), claimed before sending, marked after. */
export const alerts = sqliteTable(
	"alerts",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		kind: text("kind", { enum: ALERT_KINDS }).notNull(),
		milestoneId: integer("milestone_id").references(() => milestones.id),
		zoneId: integer("zone_id").references(() => zones.id),
		/** The offset crossed (ISO 8601), for deadline alerts. */
		offset: text("offset"),
		/** due_at when the alert was planned: a slip makes a new key. */
		dueAt: instant("due_at"),
		subscriberId: integer("subscriber_id").references(() => subscribers.id),
		recipient: text("recipient").notNull(),
		dedupeKey: text("dedupe_key").notNull().unique(),
		status: text("status", { enum: ALERT_STATUSES }).notNull().default("pending"),
		attempts: integer("attempts").notNull().default(0),
		nextAttemptAt: instant("next_attempt_at").notNull(),
		/** Set while a run is sending it; another run skips it until the lease ends. */
		leaseUntil: instant("lease_until"),
		lastError: text("last_error"),
		messageId: text("message_id"),
		createdAt: createdAt(),
		sentAt: instant("sent_at"),
	},
	(t) => [
		index("alerts_status_next").on(t.status, t.nextAttemptAt),
		index("alerts_milestone").on(t.milestoneId),
		index("alerts_sent").on(t.sentAt),
		index("alerts_created").on(t.createdAt, t.id),
	],
);

/** A mute: a milestone, a tag or a zone gets no alerts until `until`. */
export const silences = sqliteTable(
	"silences",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		milestoneId: integer("milestone_id").references(() => milestones.id),
		tag: text("tag"),
		zoneId: integer("zone_id").references(() => zones.id),
		until: instant("until").notNull(),
		reason: text("reason").notNull(),
		createdAt: createdAt(),
	},
	(t) => [index("silences_until").on(t.until)],
);

export type SubscriberRow = typeof subscribers.$inferSelect;
export type AlertRow = typeof alerts.$inferSelect;
export type SilenceRow = typeof silences.$inferSelect;
