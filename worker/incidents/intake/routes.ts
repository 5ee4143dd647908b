import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { SourceRow } from "../../db/schema";
import { createRouter, jsonContent } from "../../http/openapi";
import { pick, problem } from "../../http/schemas";
import { webhookAcceptedExample } from "../examples";
import { Envelope, WebhookAccepted, WebhookQueued } from "../schema";
import { receiveWebhook } from "./receive";
import { logRefusal, Refused } from "./refusal";

/** Webhooks accept larger bodies than the JSON API: a batch of 500 incidents with notes. */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;
/** The Rate Limiting binding counts per period (60 s in wrangler.toml): a refused sender retries after it. */
const RATE_PERIOD_S = 60;

const SourceParam = z.object({
	source: z
		.string()
		.min(1)
		.max(80)
		.openapi({ param: { name: "source", in: "path" }, example: "newsroom-scraper" }),
});

const route = createRoute({
	method: "post",
	path: "/{source}",
	tags: ["Webhooks"],
	summary: "Receive signed incident reports (Standard Webhooks)",
	description:
		"Headers `webhook-id`, `webhook-timestamp` (seconds, within 5 minutes), `webhook-signature` (`v1,<base64 HMAC-SHA256 of id.timestamp.body>`, several space-separated). Body: the envelope, `data` one incident or `{incidents: [...]}` (≤ 500), at most 1 MiB. A repeated `webhook-id` with the same body returns the first answer and writes nothing.",
	request: {
		params: SourceParam,
		headers: z.object({ "webhook-id": z.string(), "webhook-timestamp": z.string(), "webhook-signature": z.string() }),
		body: { required: true, content: { "application/json": { schema: Envelope } } },
	},
	responses: {
		202: jsonContent(
			z.union([WebhookAccepted, WebhookQueued]),
			"Accepted (or the stored answer to a replay); in queued mode, `{accepted, queued: true}`",
			webhookAcceptedExample,
		),
		...pick(400, 413, 422, 503),
		401: problem(
			"Not signed for this slug's source: a bad or missing signature or timestamp, and the same answer whether the source exists, is deactivated or is active",
			"unauthorized",
			"No signature matches this source's secret.",
		),
		403: problem("Correctly signed, but the source is deactivated", "forbidden", 'The source "newsroom-scraper" is deactivated.'),
		429: problem(
			"Too many messages from this source; retry after Retry-After seconds",
			"rate_limited",
			`Too many messages from "newsroom-scraper"; retry after ${RATE_PERIOD_S} seconds.`,
		),
	},
});

const tooLarge = (c: Context): never => {
	const error = new Refused("too_large", "payload_too_large", `The webhook body is larger than ${WEBHOOK_BODY_LIMIT / 1024} KiB.`);
	logRefusal(c.req.param("source") ?? "", error);
	throw error;
};

/**
 * The receiver reads the raw body itself: the signature covers the exact bytes, so nothing may
 * parse (and re-serialise) it before verification. Hence a plain route, documented via registerPath.
 */
export const webhooksRouter = createRouter();
webhooksRouter.openAPIRegistry.registerPath(route);
webhooksRouter.post("/:source", bodyLimit({ maxSize: WEBHOOK_BODY_LIMIT, onError: tooLarge }), async (c) => {
	const headers = { id: c.req.header("webhook-id"), timestamp: c.req.header("webhook-timestamp"), signature: c.req.header("webhook-signature") };
	const message = { slug: c.req.param("source"), headers, body: await c.req.text() };
	// Counted after the signature check, so strangers cannot spend a sender's budget.
	const admit = async (source: SourceRow) => {
		const limiter = c.env.WEBHOOK_LIMITER;
		if (!limiter) return;
		const { success } = await limiter.limit({ key: `source:${source.id}` });
		if (!success)
			throw new Refused("rate_limited", "rate_limited", `Too many messages from "${source.slug}"; retry after ${RATE_PERIOD_S} seconds.`, {
				headers: { "retry-after": String(RATE_PERIOD_S) },
			});
	};
	try {
		return c.json(await receiveWebhook(c.get("db"), message, c.get("config").secretsKey, c.get("now"), admit, c.env.INGEST_QUEUE), 202);
	} catch (e) {
		logRefusal(message.slug, e);
		throw e;
	}
});
