import { createRoute } from "@hono/zod-openapi";
import { requireAdmin } from "../http/auth";
import { adminOnly, createRouter, jsonContent } from "../http/openapi";
import { pick } from "../http/schemas";
import { acknowledge, ackTarget } from "./acks";
import { acknowledgedAlertExample, alertListExample } from "./examples";
import { listAlerts } from "./ledger";
import { Alert, AlertIdParam, AlertList, AlertQuery, alertJson } from "./schema";

export const alertsRouter = createRouter()
	.openapi(
		createRoute({
			method: "get",
			path: "/",
			tags: ["Alerts"],
			summary: "The alert ledger, newest first",
			description:
				"What was sent, to whom and when (`message_id`), what is pending (`next_attempt_at`), what failed (`last_error`), and who acknowledged an overdue alert's due date (`acknowledged`).",
			security: adminOnly,
			middleware: [requireAdmin] as const,
			request: { query: AlertQuery },
			responses: { 200: jsonContent(AlertList, "A page of ledger rows", alertListExample), ...pick(400, 401, 503) },
		}),
		async (c) => {
			const page = await listAlerts(c.get("db"), c.req.valid("query"));
			return c.json({ items: page.items.map((r) => alertJson(r.alert, r.ack)), next_cursor: page.next }, 200);
		},
	)
	.openapi(
		createRoute({
			method: "post",
			path: "/{id}/ack",
			tags: ["Alerts"],
			summary: "Acknowledge an overdue alert or reminder (idempotent)",
			description:
				"Its milestone gets no more reminders for this due date; a slip or a new due date re-arms them. Acknowledging again changes nothing and answers the first acknowledgement. 409 for an alert of another kind; 410 once the milestone's due date changed or it was settled.",
			security: adminOnly,
			middleware: [requireAdmin] as const,
			request: { params: AlertIdParam },
			responses: { 200: jsonContent(Alert, "The alert, acknowledged", acknowledgedAlertExample), ...pick(400, 401, 404, 409, 410, 503) },
		}),
		async (c) => {
			const db = c.get("db");
			const target = await ackTarget(db, c.req.valid("param").id);
			const ack = await acknowledge(db, target, "admin", c.get("now"));
			return c.json(alertJson(target.alert, ack), 200);
		},
	);
