import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { requireRead } from "../http/auth";
import { nonceOf, pageHeaders } from "../http/headers";
import { createRouter, jsonContent } from "../http/openapi";
import { pick } from "../http/schemas";
import { countIncidentsByWeek, weeklySeries } from "../incidents";
import { statusExample, statusPageExample } from "./examples";
import { Memo } from "./memo";
import { StatusPage } from "./page";
import { getStatus, ping } from "./queries";
import { Status, type StatusJson } from "./schema";

const tags = ["Status"];
const statusMemo = new Memo<StatusJson>();
const weeklyMemo = new Memo<Awaited<ReturnType<typeof countIncidentsByWeek>>>();

/**
 * The status, reused for up to STATUS_CACHE_SECONDS in this isolate unless the client sends
 * `Cache-Control: no-cache`; the `Age` header says how old it is (its `now` field too).
 */
function cachedStatus(c: Context<AppEnv>) {
	const bypass = /no-cache|no-store|max-age=0/i.test(c.req.header("cache-control") ?? "");
	const [db, now, ttl] = [c.get("db"), c.get("now"), c.get("config").statusCacheMs];
	const status = statusMemo.get(c.env.DB, now.getTime(), ttl, bypass, () => getStatus(db, now));
	c.header("age", String(Math.floor(status.ageMs / 1000)));
	return { status: status.value, weekly: () => weeklyMemo.get(c.env.DB, now.getTime(), ttl, bypass, () => countIncidentsByWeek(db, now)).value };
}

export const statusRouter = createRouter()
	.openapi(
		createRoute({
			method: "get",
			path: "/healthz",
			tags,
			summary: "Liveness: answers 200 when D1 answers one query",
			responses: { 200: jsonContent(z.object({ ok: z.literal(true) }), "Alive", { ok: true }), ...pick(503) },
		}),
		async (c) => {
			await ping(c.get("db"));
			return c.json({ ok: true as const }, 200);
		},
	)
	.openapi(
		createRoute({
			method: "get",
			path: "/status",
			tags,
			summary: "The state at a glance: next milestones, overdue, incidents, alert queue, cron health",
			description:
				"Reused for up to STATUS_CACHE_SECONDS (default 5) per isolate; send `Cache-Control: no-cache` for a fresh answer. `Age` says how old it is.",
			middleware: [requireRead] as const,
			responses: { 200: jsonContent(Status, "Current status", statusExample), ...pick(401, 503) },
		}),
		async (c) => c.json(await cachedStatus(c).status, 200),
	)
	.openapi(
		createRoute({
			method: "get",
			path: "/",
			tags,
			summary: "The status page (HTML)",
			description: "Server-rendered, readable with JS off; a strict Content-Security-Policy lets only its own nonce-tagged style and script run.",
			middleware: [pageHeaders, requireRead] as const,
			responses: {
				200: { description: "Server-rendered HTML", content: { "text/html": { schema: z.string(), example: statusPageExample } } },
				...pick(401, 503),
			},
		}),
		async (c) => {
			const cached = cachedStatus(c);
			const [status, weekly] = await Promise.all([cached.status, cached.weekly()]);
			return c.html(<StatusPage status={status} weekly={weeklySeries(weekly, new Date(status.now))} nonce={nonceOf(c)} />, 200);
		},
	);
