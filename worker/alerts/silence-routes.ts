import { createRoute } from "@hono/zod-openapi";
import { requireAdmin } from "../http/auth";
import { adminOnly, createRouter, jsonBody, jsonContent } from "../http/openapi";
import { IdParam, pick } from "../http/schemas";
import { endedSilenceExample, silenceExample, silenceListExample } from "./examples";
import { CreateSilence, Silence, SilenceList, SilenceQuery, silenceJson } from "./silence-schema";
import { createSilence, endSilence, listSilences } from "./silences";

const tags = ["Silences"];

export const silencesRouter = createRouter()
	.openapi(
		createRoute({
			method: "get",
			path: "/",
			tags,
			summary: "List silences, newest first",
			security: adminOnly,
			middleware: [requireAdmin] as const,
			request: { query: SilenceQuery },
			responses: { 200: jsonContent(SilenceList, "A page of silences", silenceListExample), ...pick(400, 401, 503) },
		}),
		async (c) => {
			const now = c.get("now");
			const page = await listSilences(c.get("db"), c.req.valid("query"), now);
			return c.json({ items: page.items.map((s) => silenceJson(s, now)), next_cursor: page.next }, 200);
		},
	)
	.openapi(
		createRoute({
			method: "post",
			path: "/",
			tags,
			summary: "Mute a milestone, a tag or a zone until a time",
			description: "While active, nothing is planned for what it covers; a threshold still crossed when it ends is sent then.",
			security: adminOnly,
			middleware: [requireAdmin] as const,
			request: { body: jsonBody(CreateSilence) },
			responses: { 201: jsonContent(Silence, "The new silence", silenceExample), ...pick(400, 401, 413, 415, 422, 503) },
		}),
		async (c) => {
			const now = c.get("now");
			const row = await createSilence(c.get("db"), c.req.valid("json"), now);
			c.header("location", `/api/silences/${row.id}`);
			return c.json(silenceJson(row, now), 201);
		},
	)
	.openapi(
		createRoute({
			method: "delete",
			path: "/{id}",
			tags,
			summary: "End a silence now",
			security: adminOnly,
			middleware: [requireAdmin] as const,
			request: { params: IdParam },
			responses: { 200: jsonContent(Silence, "The ended silence", endedSilenceExample), ...pick(401, 404, 503) },
		}),
		async (c) => {
			const now = c.get("now");
			return c.json(silenceJson(await endSilence(c.get("db"), c.req.valid("param").id, now), now), 200);
		},
	);
