import { createRoute } from "@hono/zod-openapi";
import { requireAdmin } from "../http/auth";
import { adminOnly, createRouter, jsonBody, jsonContent } from "../http/openapi";
import { IdParam, pick, problem } from "../http/schemas";
import { pausedSubscriberExample, subscriberExample, subscriberListExample, suppressedSubscriberExample, unsubscribedSubscriberExample } from "./examples";
import { createSubscriber, getSubscriber, listSubscribers, removeSubscriber, updateSubscriber } from "./queries";
import { CreateSubscriber, Subscriber, SubscriberList, SubscriberQuery, subscriberJson, UpdateSubscriber } from "./schema";
import { reactivateSubscriber } from "./suppression";

const tags = ["Subscribers"];

export const subscribersRouter = createRouter()
	.openapi(
		createRoute({
			method: "get",
			path: "/",
			tags,
			summary: "List alert recipients, newest first",
			security: adminOnly,
			middleware: [requireAdmin] as const,
			request: { query: SubscriberQuery },
			responses: { 200: jsonContent(SubscriberList, "A page of subscribers", subscriberListExample), ...pick(400, 401, 503) },
		}),
		async (c) => {
			const { limit, cursor } = c.req.valid("query");
			const page = await listSubscribers(c.get("db"), limit, cursor);
			const appUrl = c.get("config").appUrl;
			return c.json({ items: page.items.map((s) => subscriberJson(s, appUrl)), next_cursor: page.next }, 200);
		},
	)
	.openapi(
		createRoute({
			method: "post",
			path: "/",
			tags,
			summary: "Add an alert recipient",
			description:
				"Filters: `tags` (milestone tags) pick which milestones alert them, `zones` (zone slugs) which surges and digest incidents; empty means all. Both must name things that exist. " +
				"An address already subscribed is a 409. An address that unsubscribed is a 409 too, unless `resubscribe: true` says it consented again: " +
				"then it is subscribed with the new filters and a fresh `unsubscribe_url` (the old link stops working), and `consent_source` records it.",
			security: adminOnly,
			middleware: [requireAdmin] as const,
			request: { body: jsonBody(CreateSubscriber) },
			responses: {
				201: jsonContent(Subscriber, "The new (or re-subscribed) subscriber, with its unsubscribe_url", subscriberExample),
				409: problem(
					"The address is already subscribed, or unsubscribed and `resubscribe` is not true",
					"conflict",
					'"desk@example.org" unsubscribed on 2025-09-05T12:30:00.000Z: add it again only with the recipient\'s new consent, and say so with "resubscribe": true.',
					[
						{
							path: "/email",
							message: 'unsubscribed on 2025-09-05T12:30:00.000Z: add it again only with the recipient\'s new consent, and say so with "resubscribe": true',
						},
					],
				),
				...pick(400, 401, 413, 415, 422, 503),
			},
		}),
		async (c) => {
			const row = await createSubscriber(c.get("db"), c.req.valid("json"), c.get("now"));
			c.header("location", `/api/subscribers/${row.id}`);
			return c.json(subscriberJson(row, c.get("config").appUrl), 201);
		},
	)
	.openapi(
		createRoute({
			method: "get",
			path: "/{id}",
			tags,
			summary: "One alert recipient",
			description: "With its delivery state: `suppressed_at` and `suppressed_reason` once a hard bounce or complaint stopped its mail, and its `soft_bounces`.",
			security: adminOnly,
			middleware: [requireAdmin] as const,
			request: { params: IdParam },
			responses: { 200: jsonContent(Subscriber, "The subscriber", suppressedSubscriberExample), ...pick(401, 404, 503) },
		}),
		async (c) => c.json(subscriberJson(await getSubscriber(c.get("db"), c.req.valid("param").id), c.get("config").appUrl), 200),
	)
	.openapi(
		createRoute({
			method: "post",
			path: "/{id}/reactivate",
			tags,
			summary: "Resume mail to a suppressed recipient",
			description:
				"Clears `suppressed_at` and `suppressed_reason` and resets `soft_bounces`. Email Service keeps its own suppression list: remove the address there too, or the next send is refused again (docs/alerts.md). An unsubscribed recipient stays unsubscribed.",
			security: adminOnly,
			middleware: [requireAdmin] as const,
			request: { params: IdParam },
			responses: { 200: jsonContent(Subscriber, "The reactivated subscriber", subscriberExample), ...pick(401, 404, 503) },
		}),
		async (c) => c.json(subscriberJson(await reactivateSubscriber(c.get("db"), c.req.valid("param").id), c.get("config").appUrl), 200),
	)
	.openapi(
		createRoute({
			method: "patch",
			path: "/{id}",
			tags,
			summary: "Change a recipient's filters, name, digest, or pause them",
			description:
				"Takes what POST takes except `email` (a new address needs its own consent: add it with POST). Filters are checked as on POST. " +
				"`paused: true` stops everything to them and drops what is queued; `paused: false` resumes with the next threshold crossed. " +
				"An unsubscribed recipient is a 409: only POST with `resubscribe: true` brings them back.",
			security: adminOnly,
			middleware: [requireAdmin] as const,
			request: { params: IdParam, body: jsonBody(UpdateSubscriber) },
			responses: {
				200: jsonContent(Subscriber, "The changed subscriber", pausedSubscriberExample),
				...pick(400, 401, 404, 409, 413, 415, 422, 503),
			},
		}),
		async (c) => {
			const { id } = c.req.valid("param");
			const row = await updateSubscriber(c.get("db"), id, c.req.valid("json"), c.get("now"));
			return c.json(subscriberJson(row, c.get("config").appUrl), 200);
		},
	)
	.openapi(
		createRoute({
			method: "delete",
			path: "/{id}",
			tags,
			summary: "Unsubscribe a recipient",
			description: "Marks them unsubscribed and drops what is queued for them; the ledger keeps what was sent.",
			security: adminOnly,
			middleware: [requireAdmin] as const,
			request: { params: IdParam },
			responses: { 200: jsonContent(Subscriber, "The unsubscribed subscriber", unsubscribedSubscriberExample), ...pick(401, 404, 503) },
		}),
		async (c) => c.json(subscriberJson(await removeSubscriber(c.get("db"), c.req.valid("param").id, c.get("now")), c.get("config").appUrl), 200),
	);
