import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { canReadPrivate, requireAdmin, requirePrivateRead, requireRead } from "../http/auth";
import { adminOnly, createRouter, jsonBody, jsonContent } from "../http/openapi";
import { IdParam, pick } from "../http/schemas";
import { pageExample, pageListExample } from "./examples";
import { forgetOpened } from "./opened";
import { createPage, deletePage, getPage, listPages, updatePage } from "./queries";
import { CreatePage, PageJson, PageList, PageQuery, pageJson, UpdatePage } from "./schema";

const tags = ["Pages"];

/** The JSON of a page, in this request's APP_URL. */
const json = (c: Context<AppEnv>, row: Parameters<typeof pageJson>[0]) => pageJson(row, c.get("config").appUrl);

/** Situation pages: admin writes; reads as the pages themselves are read (a private one needs a token). */
export const pagesRouter = createRouter()
	.openapi(
		createRoute({
			method: "get",
			path: "/",
			tags,
			summary: "List situation pages",
			description:
				"Oldest first. Public pages for everyone who may read; private ones too for a caller with the read or the admin token (those who could open them).",
			middleware: [requireRead] as const,
			request: { query: PageQuery },
			responses: { 200: jsonContent(PageList, "A page of situation pages", pageListExample), ...pick(400, 401, 503) },
		}),
		async (c) => {
			const { limit, cursor } = c.req.valid("query");
			const page = await listPages(c.get("db"), limit, cursor, await canReadPrivate(c));
			return c.json({ items: page.items.map((row) => json(c, row)), next_cursor: page.next }, 200);
		},
	)
	.openapi(
		createRoute({
			method: "post",
			path: "/",
			tags,
			summary: "Create a situation page",
			description:
				"A named view over milestone tags and zones, read at `url` (`/p/<slug>`). Every tag must be on a milestone and every zone must exist: a 422 names the unknown one. A taken slug is a 409.",
			security: adminOnly,
			middleware: [requireAdmin] as const,
			request: { body: jsonBody(CreatePage) },
			responses: { 201: jsonContent(PageJson, "The new page", pageExample), ...pick(400, 401, 409, 413, 415, 422, 503) },
		}),
		async (c) => {
			const row = await createPage(c.get("db"), c.req.valid("json"), c.get("now"));
			forgetOpened(c);
			c.header("location", `/api/pages/${row.id}`);
			return c.json(json(c, row), 201);
		},
	)
	.openapi(
		createRoute({
			method: "get",
			path: "/{id}",
			tags,
			summary: "Get a situation page (by id or slug)",
			description: "A private page needs the read or the admin token, as its address does.",
			middleware: [requireRead] as const,
			request: { params: IdParam },
			responses: { 200: jsonContent(PageJson, "The page", pageExample), ...pick(401, 404, 503) },
		}),
		async (c) => {
			const row = await getPage(c.get("db"), c.req.valid("param").id);
			if (row.visibility === "private") await requirePrivateRead(c);
			return c.json(json(c, row), 200);
		},
	)
	.openapi(
		createRoute({
			method: "patch",
			path: "/{id}",
			tags,
			summary: "Change a situation page",
			description: "Title, description, language, tags, zones, visibility; tags and zones are checked as on create. The slug stays: it is the page's address.",
			security: adminOnly,
			middleware: [requireAdmin] as const,
			request: { params: IdParam, body: jsonBody(UpdatePage) },
			responses: { 200: jsonContent(PageJson, "The changed page", { ...pageExample, visibility: "private" }), ...pick(400, 401, 404, 413, 415, 422, 503) },
		}),
		async (c) => {
			const row = await updatePage(c.get("db"), c.req.valid("param").id, c.req.valid("json"), c.get("now"));
			forgetOpened(c);
			return c.json(json(c, row), 200);
		},
	)
	.openapi(
		createRoute({
			method: "delete",
			path: "/{id}",
			tags,
			summary: "Delete a situation page",
			description: "Its address answers 404 from then on; its milestones, zones and incidents stay.",
			security: adminOnly,
			middleware: [requireAdmin] as const,
			request: { params: IdParam },
			responses: { 204: { description: "Deleted" }, ...pick(401, 404, 503) },
		}),
		async (c) => {
			await deletePage(c.get("db"), c.req.valid("param").id);
			forgetOpened(c);
			return c.body(null, 204);
		},
	);
