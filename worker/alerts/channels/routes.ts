import { createRoute } from "@hono/zod-openapi";
import { requireAdmin } from "../../http/auth";
import { adminOnly, createRouter, jsonBody, jsonContent } from "../../http/openapi";
import { IdParam, pick } from "../../http/schemas";
import {
	channelListExample,
	channelTestExample,
	disabledChannelExample,
	newWebhookChannelExample,
	rotatedChannelExample,
	webhookChannelExample,
} from "./examples";
import { createChannel, deleteChannel, getChannel, listChannels, rotateChannel, updateChannel } from "./queries";
import { Channel, ChannelList, ChannelQuery, ChannelTestResult, ChannelWithSecret, CreateChannel, CreatedChannel, channelJson, UpdateChannel } from "./schema";
import { testChannel } from "./test-message";

const tags = ["Channels"];

/** Alert channels (webhook, Slack, Telegram): admin only. A webhook's secret appears in two answers: create and rotate. */
export const channelsRouter = createRouter()
	.openapi(
		createRoute({
			method: "get",
			path: "/",
			tags,
			summary: "List alert channels",
			security: adminOnly,
			middleware: [requireAdmin] as const,
			request: { query: ChannelQuery },
			responses: { 200: jsonContent(ChannelList, "A page of channels, newest first (never their credentials)", channelListExample), ...pick(400, 401, 503) },
		}),
		async (c) => {
			const { limit, cursor } = c.req.valid("query");
			const page = await listChannels(c.get("db"), limit, cursor);
			return c.json({ items: page.items.map(channelJson), next_cursor: page.next }, 200);
		},
	)
	.openapi(
		createRoute({
			method: "post",
			path: "/",
			tags,
			summary: "Create an alert channel",
			description:
				"`webhook`: `url`; the answer carries the signing secret (`whsec_…`) once. `slack`: `url`, an incoming-webhook URL. " +
				"`telegram`: `bot_token` and `chat_id`. Filters (`tags`, `zones`) work as a subscriber's. Receiver URLs must be https and " +
				"must not point at loopback, private or link-local addresses (plain http://localhost only when APP_URL is a localhost URL): " +
				"a 422 names the rule. Credentials are stored encrypted and never answered again (only their last 4 characters).",
			security: adminOnly,
			middleware: [requireAdmin] as const,
			request: { body: jsonBody(CreateChannel) },
			responses: {
				201: jsonContent(CreatedChannel, "The new channel (and a webhook's secret)", newWebhookChannelExample),
				...pick(400, 401, 413, 415, 422, 503),
			},
		}),
		async (c) => {
			const { row, secret } = await createChannel(c.get("db"), c.req.valid("json"), c.get("config"), c.get("now"));
			c.header("location", `/api/channels/${row.id}`);
			c.header("cache-control", "no-store");
			return c.json(secret ? { ...channelJson(row), secret } : channelJson(row), 201);
		},
	)
	.openapi(
		createRoute({
			method: "get",
			path: "/{id}",
			tags,
			summary: "Get a channel",
			security: adminOnly,
			middleware: [requireAdmin] as const,
			request: { params: IdParam },
			responses: { 200: jsonContent(Channel, "The channel", webhookChannelExample), ...pick(401, 404, 503) },
		}),
		async (c) => c.json(channelJson(await getChannel(c.get("db"), c.req.valid("param").id)), 200),
	)
	.openapi(
		createRoute({
			method: "patch",
			path: "/{id}",
			tags,
			summary: "Change a channel, or stop and resume it",
			description:
				"Name, filters, `url` (webhook, slack), `bot_token` and `chat_id` (telegram), checked as on create; a field the kind has not is a 422. " +
				"`active: false` stops deliveries and drops what is queued; `active: true` resumes a channel its receiver disabled (Slack 410, Telegram chat not found or bot blocked).",
			security: adminOnly,
			middleware: [requireAdmin] as const,
			request: { params: IdParam, body: jsonBody(UpdateChannel) },
			responses: { 200: jsonContent(Channel, "The changed channel", disabledChannelExample), ...pick(400, 401, 404, 409, 413, 415, 422, 503) },
		}),
		async (c) => c.json(channelJson(await updateChannel(c.get("db"), c.req.valid("param").id, c.req.valid("json"), c.get("config"), c.get("now"))), 200),
	)
	.openapi(
		createRoute({
			method: "delete",
			path: "/{id}",
			tags,
			summary: "Delete a channel",
			description: "Nothing more is sent to it and what is queued is dropped; the ledger keeps what was sent.",
			security: adminOnly,
			middleware: [requireAdmin] as const,
			request: { params: IdParam },
			responses: { 204: { description: "Deleted" }, ...pick(401, 404, 503) },
		}),
		async (c) => {
			await deleteChannel(c.get("db"), c.req.valid("param").id, c.get("now"));
			return c.body(null, 204);
		},
	)
	.openapi(
		createRoute({
			method: "post",
			path: "/{id}/rotate",
			tags,
			summary: "Rotate a webhook channel's signing secret",
			description:
				"Answers with a new secret, shown once. For 24 hours every delivery carries two signatures (new and previous secret, space-separated in " +
				"`webhook-signature`), so the receiver can switch without refusing one. Other kinds are a 409: PATCH their `url` or `bot_token`.",
			security: adminOnly,
			middleware: [requireAdmin] as const,
			request: { params: IdParam },
			responses: { 200: jsonContent(ChannelWithSecret, "The channel and its new secret", rotatedChannelExample), ...pick(401, 404, 409, 503) },
		}),
		async (c) => {
			const { row, secret } = await rotateChannel(c.get("db"), c.req.valid("param").id, c.get("config"), c.get("now"));
			c.header("cache-control", "no-store");
			return c.json({ ...channelJson(row), secret }, 200);
		},
	)
	.openapi(
		createRoute({
			method: "post",
			path: "/{id}/test",
			tags,
			summary: "Send a test message now",
			description:
				'Sends a test message to the channel (a webhook gets `type: "vigil.test"`, signed) and answers with what the receiver said. ' +
				"The ledger and the channel are left as they are, even when the receiver refuses.",
			security: adminOnly,
			middleware: [requireAdmin] as const,
			request: { params: IdParam },
			responses: { 200: jsonContent(ChannelTestResult, "What the receiver answered", channelTestExample), ...pick(401, 404, 503) },
		}),
		async (c) => {
			const channel = await getChannel(c.get("db"), c.req.valid("param").id);
			return c.json(await testChannel(channel, c.get("config"), c.get("now")), 200);
		},
	);
