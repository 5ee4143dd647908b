import { OpenAPIHono } from "@hono/zod-openapi";
import { Scalar } from "@scalar/hono-api-reference";
import { bodyLimit } from "hono/body-limit";
import { except } from "hono/combine";
import { createMiddleware } from "hono/factory";
import { createDb } from "./db/client";
import { type AppEnv, loadConfig } from "./env";
import { AppError, onError } from "./http/errors";
import { alertsRouter } from "./alerts/routes";
import { feedsRouter } from "./feeds/routes";
import { feedsAtomRouter } from "./feeds/atom-routes";
import { incidentExportsRouter, incidentsRouter } from "./incidents/routes";
import { milestonesRouter } from "./milestones/routes";
import { silencesRouter } from "./alerts/silence-routes";
import { sourcesRouter } from "./sources/routes";
import { statusRouter } from "./status/routes";
import { subscribersRouter } from "./subscribers/routes";
import { unsubscribeRouter } from "./subscribers/unsubscribe";
import { webhooksRouter } from "./incidents/intake/routes";
import { zonesRouter } from "./zones/routes";
import { docsHeaders } from "./http/headers";

const API_BODY_LIMIT = 256 * 1024;

/** Resolves config, the db handle and the request's clock once. */
const context = createMiddleware<AppEnv>(async (c, next) => {
	c.set("config", loadConfig(c.env));
	c.set("db", createDb(c.env.DB));
	c.set("now", new Date());
	await next();
});

/**
 * Writes to the JSON API must say they are JSON: anything else is 415 before it is read. A
 * write with no body at all (POST /api/sources/:id/rotate) has nothing to label.
 */
const jsonOnly = createMiddleware<AppEnv>(async (c, next) => {
	const hasBody = c.req.raw.body !== null && c.req.header("content-length") !== "0";
	if (hasBody && (c.req.method === "POST" || c.req.method === "PATCH" || c.req.method === "PUT")) {
		const type = c.req.header("content-type") ?? "";
		if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) {
			throw new AppError("unsupported_media_type", "Send the body as application/json.");
		}
	}
	await next();
});

const tooLarge = (): never => {
	throw new AppError("payload_too_large", `The request body is larger than ${API_BODY_LIMIT / 1024} KiB.`);
};

/** The whole HTTP app: middleware, one error handler, one sub-app per resource. */
export function createApp() {
	const app = new OpenAPIHono<AppEnv>();
	app.use(context);
	// The CSV import takes text/csv with its own, larger limit (routes/incidents.ts).
	app.use("/api/*", except("/api/incidents/import", jsonOnly, bodyLimit({ maxSize: API_BODY_LIMIT, onError: tooLarge })));

	app.route("/", statusRouter);
	app.route("/api/milestones", milestonesRouter);
	app.route("/api/zones", zonesRouter);
	app.route("/api/sources", sourcesRouter);
	app.route("/api", incidentExportsRouter);
	app.route("/api/incidents", incidentsRouter);
	app.route("/webhooks", webhooksRouter);
	app.route("/api/subscribers", subscribersRouter);
	app.route("/api/silences", silencesRouter);
	app.route("/api/alerts", alertsRouter);
	app.route("/unsubscribe", unsubscribeRouter);
	app.route("/feeds", feedsRouter);
	app.route("/feeds", feedsAtomRouter);

	app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
		type: "http",
		scheme: "bearer",
		description: "ADMIN_TOKEN for writes; READ_TOKEN (when set) for reads",
	});
	app.doc31("/openapi.json", (c) => ({
		openapi: "3.1.0",
		info: {
			title: "Vigil",
			version: "1.0.0",
			description: "Dated milestones of a developing situation, signed incident webhooks, and scheduled email alerts.",
		},
		servers: [{ url: new URL(c.req.url).origin }],
	}));
	app.get("/docs", ...docsHeaders, Scalar({ url: "/openapi.json", pageTitle: "Vigil API" }));

	app.notFound((c) => {
		throw new AppError("not_found", `Nothing at ${c.req.method} ${new URL(c.req.url).pathname}.`);
	});
	app.onError(onError);
	return app;
}
