import { createRoute, z } from "@hono/zod-openapi";
import { requireRead } from "../auth";
import { countIncidentsByWeek, weeklySeries } from "../domain/incident-weekly";
import { getStatus, ping } from "../domain/status";
import { pick } from "../schemas/common";
import { statusExample, statusPageExample } from "../schemas/examples";
import { Status } from "../schemas/status";
import { nonceOf, pageHeaders } from "../views/headers";
import { StatusPage } from "../views/status-page";
import { createRouter, jsonContent } from "./openapi";

const tags = ["Status"];

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
			middleware: [requireRead] as const,
			responses: { 200: jsonContent(Status, "Current status", statusExample), ...pick(401, 503) },
		}),
		async (c) => c.json(await getStatus(c.get("db"), c.get("now")), 200),
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
			const [db, now] = [c.get("db"), c.get("now")];
			const [status, weekly] = await Promise.all([getStatus(db, now), countIncidentsByWeek(db, now)]);
			return c.html(<StatusPage status={status} weekly={weeklySeries(weekly, now)} nonce={nonceOf(c)} />, 200);
		},
	);
