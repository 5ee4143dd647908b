import { z } from "@hono/zod-openapi";
import { CHANNEL_KINDS, type ChannelRow, PAGE_LANGUAGES } from "../../db/schema";
import { Label, listOf, Page, Slug, Tag, Timestamp } from "../../http/schemas";

/** A receiver URL as written; where it may point (https, no private addresses) is checked against APP_URL when stored. */
const ReceiverUrl = z.string().trim().min(1).max(2048);

const BotToken = z
	.string()
	.trim()
	.regex(/^\d{1,20}:[A-Za-z0-9_-]{20,100}$/, "must be a Telegram bot token (<bot id>:<secret>, as @BotFather gives it)")
	.openapi({ example: "123456789:EXAMPLE-ONLY-not-a-real-token-xx" });

const ChatId = z
	.string()
	.trim()
	.regex(/^(-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{3,31})$/, "must be a numeric chat id or @channelname")
	.openapi({ example: "-1001234567890" });

/** What every kind takes: a name and the subscribers' filters. */
const common = {
	name: Label(120),
	zones: z.array(Slug).max(50).optional().openapi({ description: "Zone slugs (surges); empty or absent: every zone" }),
	tags: z.array(Tag).max(50).optional().openapi({ description: "Milestone tags; empty or absent: every milestone" }),
	language: z.enum(PAGE_LANGUAGES).optional().openapi({
		description: "What Slack and Telegram messages are written in: `en` (the default), `ar` or `ckb`; a webhook's payload stays English",
		example: "ar",
	}),
};

export const CreateChannel = z
	.discriminatedUnion("kind", [
		z
			.object({ kind: z.literal("webhook"), ...common, url: ReceiverUrl.openapi({ description: "Where signed deliveries are POSTed (https)" }) })
			.strict()
			.openapi("CreateWebhookChannel"),
		z
			.object({
				kind: z.literal("slack"),
				...common,
				url: ReceiverUrl.openapi({ description: "A Slack incoming-webhook URL; kept encrypted, never shown again" }),
			})
			.strict()
			.openapi("CreateSlackChannel"),
		z
			.object({ kind: z.literal("telegram"), ...common, bot_token: BotToken, chat_id: ChatId })
			.strict()
			.openapi("CreateTelegramChannel"),
	])
	.openapi("CreateChannel", { example: { kind: "webhook", name: "Newsroom CMS", url: "https://cms.example.org/hooks/vigil", tags: ["withdrawal"] } });

export const UpdateChannel = z
	.object({
		name: common.name,
		zones: z.array(Slug).max(50),
		tags: z.array(Tag).max(50),
		language: z.enum(PAGE_LANGUAGES),
		url: ReceiverUrl.openapi({ description: "webhook and slack only" }),
		bot_token: BotToken.openapi({ description: "telegram only" }),
		chat_id: ChatId.openapi({ description: "telegram only" }),
		active: z
			.boolean()
			.openapi({ description: "false stops deliveries (what is queued is dropped); true resumes a channel disabled by an admin or by its receiver" }),
	})
	.partial()
	.strict()
	.refine((v) => Object.keys(v).length > 0, { message: "give at least one field to change", when: (payload) => payload.issues.length === 0 })
	.openapi("UpdateChannel", { example: { active: true } });

export const Channel = z
	.object({
		id: z.number().int(),
		kind: z.enum(CHANNEL_KINDS),
		name: z.string(),
		zones: z.array(z.string()),
		tags: z.array(z.string()),
		language: z.enum(PAGE_LANGUAGES),
		url: z.string().nullable().openapi({
			description: "A webhook's receiver URL; a Slack URL as its origin and last 4 characters (it is a credential); null for Telegram",
		}),
		chat_id: z.string().nullable(),
		secret_hint: z.string().openapi({ description: "The last 4 characters of the credential (webhook secret, Slack URL or bot token)", example: "…x4Q=" }),
		active: z.boolean(),
		disabled_at: Timestamp.nullable(),
		disabled_reason: z
			.string()
			.nullable()
			.openapi({ description: "Why deliveries stopped: an admin, or the receiver (Slack 410, Telegram chat not found or bot blocked)" }),
		rotated_at: Timestamp.nullable(),
		previous_secret_expires_at: Timestamp.nullable().openapi({
			description: "Until then deliveries carry a signature with the secret before the last rotation too",
		}),
		created_at: Timestamp,
		updated_at: Timestamp.nullable(),
	})
	.openapi("Channel");

export const ChannelWithSecret = Channel.extend({
	secret: z.string().openapi({ description: "A webhook channel's signing secret (`whsec_…`): shown in the create and rotate answers only" }),
}).openapi("ChannelWithSecret");

export const CreatedChannel = z.union([ChannelWithSecret, Channel]).openapi("CreatedChannel");

export const ChannelTestResult = z
	.object({
		ok: z.boolean().openapi({ description: "The receiver answered 2xx (Telegram: `ok: true`)" }),
		status: z.number().int().nullable().openapi({ description: "The receiver's HTTP status; null when it could not be reached" }),
		excerpt: z.string().openapi({ description: "The start of what the receiver answered (or the network error), at most 200 characters" }),
	})
	.openapi("ChannelTestResult");

export const ChannelQuery = Page.strict();
export const ChannelList = listOf(Channel, "ChannelList");

export type CreateChannelInput = z.infer<typeof CreateChannel>;
export type UpdateChannelInput = z.infer<typeof UpdateChannel>;
export type ChannelJson = z.infer<typeof Channel>;
export type ChannelTestResultJson = z.infer<typeof ChannelTestResult>;

/** The public JSON for a channel: never a credential, only its last 4 characters. */
export function channelJson(row: ChannelRow): ChannelJson {
	const hint = `…${row.secretHint}`;
	return {
		id: row.id,
		kind: row.kind,
		name: row.name,
		zones: row.zones,
		tags: row.tags,
		language: row.language,
		url: row.kind === "webhook" ? row.url : row.kind === "slack" && row.url ? `${row.url}/${hint}` : null,
		chat_id: row.chatId,
		secret_hint: hint,
		active: row.disabledAt === null,
		disabled_at: row.disabledAt?.toISOString() ?? null,
		disabled_reason: row.disabledReason,
		rotated_at: row.rotatedAt?.toISOString() ?? null,
		previous_secret_expires_at: row.previousExpiresAt?.toISOString() ?? null,
		created_at: row.createdAt.toISOString(),
		updated_at: row.updatedAt?.toISOString() ?? null,
	};
}
