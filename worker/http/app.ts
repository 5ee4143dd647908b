import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { except } from "hono/combine";
import { createMiddleware } from "hono/factory";
import { createDb } from "../db/client";
import { type AppEnv, loadConfig } from "../env";
import { BOOKMARK_HEADER, requestSession, sessionStart, withBookmark } from "./bookmark";
import { mountDocs } from "./docs";
import { AppError, onError, problemResponse } from "./errors";
import { responseHeaders } from "./headers";

/** A feature's sub-app and the path it is mounted on. */
export type Mount = readonly [path: string, router: OpenAPIHono<AppEnv>];

const API_BODY_LIMIT = 256 * 1024;

/**
 * Resolves config, the request's clock and its db handle once. The handle runs in the request's
 * D1 session (http/bookmark.ts), and the answer, errors included, carries its bookmark when it
 * has one. A session costs no round trip of its own.
 */
const context = createMiddleware<AppEnv>(async (c, next) => {
	const session = requestSession(c.env.DB, sessionStart(c.req.method, c.req.header(BOOKMARK_HEADER)));
	c.set("config", loadConfig(c.env));
	c.set("db", createDb(c.env.DB, session));
	c.set("now", new Date());
	await next();
	const bookmark = session.bookmark();
	if (bookmark) c.res.headers.set(BOOKMARK_HEADER, bookmark);
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

/**
 * The CSV import takes text/csv with its own, larger limit (incidents/routes.ts). The exception
 * is that one route, method included: its path under any other method gets the API's rules.
 */
const isCsvImport = (c: Context<AppEnv>) => c.req.method === "POST" && c.req.path === "/api/incidents/import";

/** The HTTP app: context, body rules, the features' sub-apps in order, the API document, one error handler. */
export function createHttpApp(mounts: readonly Mount[]) {
	const app = new OpenAPIHono<AppEnv>();
	app.use(context, responseHeaders);
	app.use("/api/*", except(isCsvImport, jsonOnly, bodyLimit({ maxSize: API_BODY_LIMIT, onError: tooLarge })));

	for (const [path, router] of mounts) app.route(path, router);

	app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
		type: "http",
		scheme: "bearer",
		description: "ADMIN_TOKEN for writes; READ_TOKEN (when set) for reads",
	});
	app.get("/openapi.json", (c) =>
		c.json(
			withBookmark(
				app.getOpenAPI31Document({
					openapi: "3.1.0",
					info: {
						title: "Vigil",
						version: "1.0.0",
						description: "Dated milestones of a developing situation, signed incident webhooks, and scheduled email alerts.",
					},
					servers: [{ url: new URL(c.req.url).origin }],
				}),
			),
		),
	);
	mountDocs(app);

	// Answered, not thrown: a throw here would skip the middleware around it (responseHeaders).
	app.notFound((c) => problemResponse(new AppError("not_found", `Nothing at ${c.req.method} ${new URL(c.req.url).pathname}.`)));
	app.onError(onError);
	return app;
}
