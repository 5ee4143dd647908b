// Alert channels: webhooks, Slack and Telegram, recipients beside email subscribers.
import { sql } from "drizzle-orm";
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, instant } from "./columns";
import { PAGE_LANGUAGES } from "./pages";

export const CHANNEL_KINDS = ["webhook", "slack", "telegram"] as const;

/**
 * Where alerts go besides email. The credential (a webhook's `whsec_` secret, a Slack incoming-
 * webhook URL, a Telegram bot token) is an AES-GCM ciphertext under SECRETS_KEY, like source
 * secrets; only its last 4 characters are kept in clear, to tell credentials apart in answers.
 */
export const channels = sqliteTable("channels", {
	id: integer("id").primaryKey({ autoIncrement: true }),
	kind: text("kind", { enum: CHANNEL_KINDS }).notNull(),
	name: text("name").notNull(),
	/** Zone slugs and milestone tags, as subscribers filter; empty means everything. */
	zones: text("zones", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
	tags: text("tags", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
	/** What Slack and Telegram messages are written in (a webhook's payload stays English, for programs). */
	language: text("language", { enum: PAGE_LANGUAGES }).notNull().default("en"),
	/** A webhook's receiver URL (not a secret: deliveries are signed). Null for other kinds. */
	url: text("url"),
	/** A Telegram chat id (`-100…` or `@channelname`). Null for other kinds. */
	chatId: text("chat_id"),
	secretEnc: text("secret_enc").notNull(),
	secretHint: text("secret_hint").notNull(),
	/** A webhook's secret before its last rotation: deliveries carry both signatures until previous_expires_at. */
	previousSecretEnc: text("previous_secret_enc"),
	previousExpiresAt: instant("previous_expires_at"),
	rotatedAt: instant("rotated_at"),
	/** Set by an admin (PATCH active=false) or by the receiver saying the target is gone (Slack 410, Telegram "chat not found"). */
	disabledAt: instant("disabled_at"),
	disabledReason: text("disabled_reason"),
	/** DELETE keeps the row (the ledger's history points at it) and hides it from every answer. */
	deletedAt: instant("deleted_at"),
	createdAt: createdAt(),
	updatedAt: instant("updated_at"),
});

export type ChannelRow = typeof channels.$inferSelect;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];
