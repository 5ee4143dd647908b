// Email subscribers, the alert ledger (for subscribers and channels alike) and silences.
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { channels } from "./channels";
import { createdAt, instant } from "./columns";
import { milestones } from "./milestones";
import { PAGE_LANGUAGES } from "./pages";
import { zones } from "./zones";

/** Why a subscriber is no longer mailed: a hard bounce, a spam complaint, or Email Service refusing the address (its own suppression list). */
export const SUPPRESSION_REASONS = ["hard_bounce", "complaint", "provider_suppressed"] as const;
/**
 * How a subscription got its consent: added by an admin, an address that had unsubscribed
 * added again by an admin who says it consented anew (`resubscribe: true`), or the address's
 * owner confirming a page's subscribe form from the link mailed to it (double opt-in).
 */
export const CONSENT_SOURCES = ["admin", "admin_resubscribe", "page_double_opt_in"] as const;

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
	/** Set by a hard bounce, a spam complaint or E_RECIPIENT_SUPPRESSED: no mail until an admin reactivates. */
	suppressedAt: instant("suppressed_at"),
	suppressedReason: text("suppressed_reason", { enum: SUPPRESSION_REASONS }),
	/** Soft bounces (retries exhausted) since the last reactivation, and the latest one. */
	softBounces: integer("soft_bounces").notNull().default(0),
	lastSoftBounceAt: instant("last_soft_bounce_at"),
	/** When and how the address consented to this subscription; null on rows from before it was recorded. */
	consentAt: instant("consent_at"),
	consentSource: text("consent_source", { enum: CONSENT_SOURCES }),
	/** What their mail is written in: the page's language when they subscribed from one. */
	language: text("language", { enum: PAGE_LANGUAGES }).notNull().default("en"),
	createdAt: createdAt(),
	/** The last PATCH or re-subscription; null while the row is as created. */
	updatedAt: instant("updated_at"),
});

/**
 * Email Service delivery events already applied, by their event id: queues deliver at least once,
 * and a soft bounce must be counted once. Written in the same batch as the event's effect.
 */
export const emailEvents = sqliteTable("email_events", {
	eventId: text("event_id").primaryKey(),
	kind: text("kind").notNull(),
	subscriberId: integer("subscriber_id")
		.notNull()
		.references(() => subscribers.id),
	receivedAt: instant("received_at").notNull(),
});

/** `event_day` and `outcome_reminder` are an event's counterparts of `overdue`: its day has come, its outcome is not recorded yet. */
export const ALERT_KINDS = ["deadline", "slip", "overdue", "surge", "digest", "event_day", "outcome_reminder"] as const;
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
		/** Set instead of subscriber_id when the recipient is a channel (recipient `channel:<id>`). */
		channelId: integer("channel_id").references(() => channels.id),
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

/** Who acknowledged: the recipient of the alert (a subscriber, or a channel), or an admin through the API. */
export const ACK_BY = ["subscriber", "channel", "admin"] as const;

/**
 * An acknowledgement: the milestone gets no more overdue reminders for this due date. Keyed by
 * milestone and due_at, so a slip (a new due_at) re-arms it; the first acknowledgement stays.
 */
export const alertAcks = sqliteTable(
	"alert_acks",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		milestoneId: integer("milestone_id")
			.notNull()
			.references(() => milestones.id),
		dueAt: instant("due_at").notNull(),
		/** The alert whose link (or whose id, for an admin) acknowledged; no foreign key, as a pending row may be dropped later. */
		alertId: integer("alert_id").notNull(),
		byKind: text("by_kind", { enum: ACK_BY }).notNull(),
		/** The alert's recipient when they acknowledged it themselves; null for an admin. */
		by: text("by"),
		ackedAt: instant("acked_at").notNull(),
	},
	(t) => [uniqueIndex("alert_acks_milestone_due").on(t.milestoneId, t.dueAt)],
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
export type AlertAckRow = typeof alertAcks.$inferSelect;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];
