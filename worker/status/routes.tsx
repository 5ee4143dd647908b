import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { type ConfigProblem, describeProblems } from "../config/check";
import type { AppEnv } from "../env";
import { requireRead } from "../http/auth";
import { AppError } from "../http/errors";
import { nonceOf, pageHeaders } from "../http/headers";
import { createRouter, jsonContent } from "../http/openapi";
import { LangQuery, pick, problem } from "../http/schemas";
import { LOCALES } from "../i18n";
import { countIncidentsByWeek, weeklySeries } from "../incidents";
import { statusExample, statusPageExample } from "./examples";
import { Memo } from "./memo";
import { StatusPage } from "./page";
import { getStatus, ping } from "./queries";
import { type DataStatusJson, Status, withConfiguration } from "./schema";

const tags = ["Status"];
const statusMemo = new Memo<DataStatusJson>();
const weeklyMemo = new Memo<Awaited<ReturnType<typeof countIncidentsByWeek>>>();

/**
 * The status, its data reused for up to STATUS_CACHE_SECONDS in this isolate unless the client
 * sends `Cache-Control: no-cache`; the `Age` header says how old it is (its `now` field too). The
 * configuration is judged on every answer: it belongs to these bindings, not to the database.
 */
function cachedStatus(c: Context<AppEnv>) {
	const bypass = /no-cache|no-store|max-age=0/i.test(c.req.header("cache-control") ?? "");
	const [db, now, config] = [c.get("db"), c.get("now"), c.get("config")];
	const data = statusMemo.get(c.env.DB, now.getTime(), config.statusCacheMs, bypass, () => getStatus(db, now));
	c.header("age", String(Math.floor(data.ageMs / 1000)));
	return {
		status: data.value.then((d) => withConfiguration(d, config.problems)),
		weekly: () => weeklyMemo.get(c.env.DB, now.getTime(), config.statusCacheMs, bypass, () => countIncidentsByWeek(db, now)).value,
	};
}

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
				"503 when D1 fails, or when ADMIN_TOKEN, SECRETS_KEY, APP_URL or ALERT_FROM is missing or invalid: `errors` names each such setting (`path`) and what is wrong (`message`), never its value.",
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
				"Server-rendered, readable with JS off; a strict Content-Security-Policy lets only its own nonce-tagged style and script run. English unless `?lang=ar` or `?lang=ckb` asks for Arabic or Sorani (right to left) for this view.",
			middleware: [pageHeaders, requireRead] as const,
			request: { query: LangQuery },
			responses: {
				200: { description: "Server-rendered HTML", content: { "text/html": { schema: z.string(), example: statusPageExample } } },
				...pick(400, 401, 503),
			},
		}),
		async (c) => {
			const cached = cachedStatus(c);
			const [status, weekly] = await Promise.all([cached.status, cached.weekly()]);
			const { lang = "en" } = c.req.valid("query");
			c.header("content-language", LOCALES[lang].tag);
			return c.html(<StatusPage status={status} weekly={weeklySeries(weekly, new Date(status.now))} nonce={nonceOf(c)} lang={lang} />, 200);
		},
	);
