import type { ChannelJson, ChannelTestResultJson } from "./schema";

// Examples for the channel routes. Credentials here spell out that they are examples: none was ever issued.

export const webhookChannelExample = {
	id: 3,
	kind: "webhook",
	name: "Newsroom CMS",
	zones: [],
	tags: ["withdrawal"],
	url: "https://cms.example.org/hooks/vigil",
	chat_id: null,
	secret_hint: "…ISE=",
	active: true,
	disabled_at: null,
	disabled_reason: null,
	rotated_at: null,
	previous_secret_expires_at: null,
	language: "en",
	created_at: "2025-03-01T09:00:00.000Z",
	updated_at: null,
} satisfies ChannelJson;

export const slackChannelExample = {
	...webhookChannelExample,
	id: 4,
	kind: "slack",
	name: "#security-desk",
	url: "https://hooks.slack.com/…mple",
	secret_hint: "…mple",
} satisfies ChannelJson;

export const telegramChannelExample = {
	...webhookChannelExample,
	id: 5,
	kind: "telegram",
	name: "Baghdad desk group",
	url: null,
	chat_id: "-1001234567890",
	secret_hint: "…y-xx",
} satisfies ChannelJson;

export const disabledChannelExample = {
	...telegramChannelExample,
	active: false,
	disabled_at: "2025-09-02T06:00:00.000Z",
	disabled_reason: "Telegram: Forbidden: bot was blocked by the user",
	updated_at: "2025-09-02T06:00:00.000Z",
} satisfies ChannelJson;

export const channelListExample = {
	items: [telegramChannelExample, slackChannelExample, webhookChannelExample],
	next_cursor: null,
} satisfies { items: ChannelJson[]; next_cursor: string | null };

/** Base64 of "EXAMPLE-ONLY-not-a-real-secret!!". */
export const newWebhookChannelExample = { ...webhookChannelExample, secret: "whsec_RVhBTVBMRS1PTkxZLW5vdC1hLXJlYWwtc2VjcmV0ISE=" } satisfies ChannelJson & {
	secret: string;
};

/** Base64 of "EXAMPLE-ONLY-rotated-not-real!!!". */
export const rotatedChannelExample = {
	...webhookChannelExample,
	secret_hint: "…ISE=",
	rotated_at: "2025-09-01T10:00:00.000Z",
	previous_secret_expires_at: "2025-09-02T10:00:00.000Z",
	updated_at: "2025-09-01T10:00:00.000Z",
	secret: "whsec_RVhBTVBMRS1PTkxZLXJvdGF0ZWQtbm90LXJlYWwhISE=",
} satisfies ChannelJson & { secret: string };

export const channelTestExample = { ok: true, status: 200, excerpt: "ok" } satisfies ChannelTestResultJson;
