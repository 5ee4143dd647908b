import { createRoute } from "@hono/zod-openapi";
import { requireAdmin } from "../http/auth";
import { adminOnly, createRouter, jsonContent } from "../http/openapi";
import { pick } from "../http/schemas";
import { alertListExample } from "./examples";
import { listAlerts } from "./ledger";
import { AlertList, AlertQuery, alertJson } from "./schema";

export const alertsRouter = createRouter().openapi(
	createRoute({
		method: "get",
		path: "/",
		tags: ["Alerts"],
		summary: "The alert ledger, newest first",
		description: "What was sent, to whom and when (`message_id`), what is pending (`next_attempt_at`) and what failed (`last_error`).",
		security: adminOnly,
		middleware: [requireAdmin] as const,
		request: { query: AlertQuery },
		responses: { 200: jsonContent(AlertList, "A page of ledger rows", alertListExample), ...pick(400, 401, 503) },
	}),
	async (c) => {
		const page = await listAlerts(c.get("db"), c.req.valid("query"));
		return c.json({ items: page.items.map(alertJson), next_cursor: page.next }, 200);
	},
);
