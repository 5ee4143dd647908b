import { createRoute, z } from "@hono/zod-openapi";
import { type ConfigProblem, describeProblems } from "../config/check";
import { requireRead } from "../http/auth";
import { AppError } from "../http/errors";
import { pageHeaders } from "../http/headers";
import { createRouter, jsonContent } from "../http/openapi";
import { LangQuery, pick, problem } from "../http/schemas";
import { statusExample, statusPageExample } from "./examples";
import { ping } from "./queries";
import { Status } from "./schema";
import { cachedStatus, statusPageHtml } from "./view";

const tags = ["Status"];

/** What healthz says when settings are missing or invalid: each one in `errors`, by name, never its value. */
const notConfigured = (problems: readonly ConfigProblem[]) => ({
	detail: `Vigil is not fully configured: ${describeProblems(problems)}.`,
	errors: problems.map((p) => ({ path: p.setting, message: p.problem })),
});

const notConfiguredExample = notConfigured([{ setting: "SECRETS_KEY", problem: "is not set: webhook sources cannot be created or verified" }]);

export const statusRouter = createRouter()
	.openapi(
		createRoute({
			method: "get",
			path: "/healthz",
			tags,
			summary: "Health: 200 when D1 answers one query and every required setting is there",
			description:
				"503 when D1 fails, when ADMIN_TOKEN, SECRETS_KEY, APP_URL or ALERT_FROM is missing or invalid, or when RETAIN_INCIDENTS_DAYS is set to something other than a whole number of days: `errors` names each such setting (`path`) and what is wrong (`message`), never its value.",
			responses: {
				200: jsonContent(z.object({ ok: z.literal(true) }), "Alive and configured", { ok: true }),
				503: problem(
					"D1 is unavailable (retry after Retry-After seconds), or a required setting is missing or invalid",
					"not_configured",
					notConfiguredExample.detail,
					notConfiguredExample.errors,
				),
			},
		}),
		async (c) => {
			await ping(c.get("db"));
			const { problems } = c.get("config");
			if (problems.length > 0) {
				const { detail, errors } = notConfigured(problems);
				throw new AppError("not_configured", detail, { errors });
			}
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
			description:
				"Server-rendered, readable with JS off; a strict Content-Security-Policy lets only its own nonce-tagged style and script run. Lists the public situation pages with a one-line state each. English unless `?lang=ar` or `?lang=ckb` asks for Arabic or Sorani (right to left) for this view.",
			middleware: [pageHeaders, requireRead] as const,
			request: { query: LangQuery },
			responses: {
				200: { description: "Server-rendered HTML", content: { "text/html": { schema: z.string(), example: statusPageExample } } },
				...pick(400, 401, 503),
			},
		}),
		async (c) => c.html(await statusPageHtml(c, undefined, c.req.valid("query").lang), 200),
	);
