import { createRoute } from "@hono/zod-openapi";
import { requireAdmin } from "../http/auth";
import { adminOnly, createRouter, jsonBody, jsonContent } from "../http/openapi";
import { IdParam, pick } from "../http/schemas";
import { sourceIngestFailures } from "../incidents";
import { deactivatedSourceExample, newSourceExample, rotatedSourceExample, sourceDetailExample, sourceListExample } from "./examples";
import { createSource, getSource, listSources, rotateSource, updateSource } from "./queries";
import { CreateSource, Source, SourceDetail, SourceList, SourceQuery, SourceWithSecret, sourceJson, UpdateSource } from "./schema";

const tags = ["Sources"];

/** Webhook senders: admin only. A secret appears in exactly two answers: create and rotate. */
export const sourcesRouter = createRouter()
	.openapi(
		createRoute({
			method: "get",
			path: "/",
			tags,
			summary: "List webhook sources",
			security: adminOnly,
			middleware: [requireAdmin] as const,
			request: { query: SourceQuery },
			responses: { 200: jsonContent(SourceList, "A page of sources (never their secrets)", sourceListExample), ...pick(400, 401, 503) },
		}),
		async (c) => {
			const { limit, cursor } = c.req.valid("query");
			const page = await listSources(c.get("db"), limit, cursor);
			return c.json({ items: page.items.map((r) => sourceJson(r, c.get("config").appUrl)), next_cursor: page.next }, 200);
		},
	)
	.openapi(
		createRoute({
			method: "post",
			path: "/",
			tags,
			summary: "Create a webhook source",
			description: "Answers with the signing secret (`whsec_…`) once; it is stored encrypted and never shown again.",
			security: adminOnly,
			middleware: [requireAdmin] as const,
			request: { body: jsonBody(CreateSource) },
			responses: { 201: jsonContent(SourceWithSecret, "The new source and its secret", newSourceExample), ...pick(400, 401, 409, 413, 415, 422, 503) },
		}),
		async (c) => {
			const { row, secret } = await createSource(c.get("db"), c.req.valid("json"), c.get("config").secretsKey, c.get("now"));
			c.header("location", `/api/sources/${row.id}`);
			c.header("cache-control", "no-store");
			return c.json({ ...sourceJson(row, c.get("config").appUrl), secret }, 201);
		},
	)
	.openapi(
		createRoute({
			method: "get",
			path: "/{id}",
			tags,
			summary: "Get a source by id or slug",
			security: adminOnly,
			middleware: [requireAdmin] as const,
			request: { params: IdParam },
			responses: { 200: jsonContent(SourceDetail, "The source", sourceDetailExample), ...pick(401, 404, 503) },
		}),
		async (c) => {
			const row = await getSource(c.get("db"), c.req.valid("param").id);
			return c.json({ ...sourceJson(row, c.get("config").appUrl), ingest_failures: await sourceIngestFailures(c.get("db"), row.id) }, 200);
		},
	)
	.openapi(
		createRoute({
			method: "patch",
			path: "/{id}",
			tags,
			summary: "Rename, deactivate or reactivate a source",
			description: "A deactivated source's webhooks answer 403 and write nothing.",
			security: adminOnly,
			middleware: [requireAdmin] as const,
			request: { params: IdParam, body: jsonBody(UpdateSource) },
			responses: { 200: jsonContent(Source, "The source", deactivatedSourceExample), ...pick(400, 401, 404, 413, 415, 422, 503) },
		}),
		async (c) => c.json(sourceJson(await updateSource(c.get("db"), c.req.valid("param").id, c.req.valid("json")), c.get("config").appUrl), 200),
	)
	.openapi(
		createRoute({
			method: "post",
			path: "/{id}/rotate",
			tags,
			summary: "Rotate a source's secret",
			description: "Answers with a new secret, shown once. The previous secret keeps verifying for 24 hours, so the sender can switch without losing messages.",
			security: adminOnly,
			middleware: [requireAdmin] as const,
			request: { params: IdParam },
			responses: { 200: jsonContent(SourceWithSecret, "The source and its new secret", rotatedSourceExample), ...pick(401, 404, 409, 503) },
		}),
		async (c) => {
			const { row, secret } = await rotateSource(c.get("db"), c.req.valid("param").id, c.get("config").secretsKey, c.get("now"));
			c.header("cache-control", "no-store");
			return c.json({ ...sourceJson(row, c.get("config").appUrl), secret }, 200);
		},
	);
