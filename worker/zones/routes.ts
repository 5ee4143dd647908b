import { createRoute } from "@hono/zod-openapi";
import { requireAdmin } from "../http/auth";
import { adminOnly, createRouter, jsonBody, jsonContent } from "../http/openapi";
import { IdParam, pick } from "../http/schemas";
import { zoneExample, zoneListExample } from "./examples";
import { createZone, getZone, listZones } from "./queries";
import { CreateZone, Zone, ZoneList, ZoneQuery, zoneJson } from "./schema";

const tags = ["Zones"];

export const zonesRouter = createRouter()
	.openapi(
		createRoute({
			method: "get",
			path: "/",
			tags,
			summary: "List zones",
			description: "Admin only, as the contract has it.",
			security: adminOnly,
			middleware: [requireAdmin] as const,
			request: { query: ZoneQuery },
			responses: { 200: jsonContent(ZoneList, "A page of zones", zoneListExample), ...pick(400, 401, 503) },
		}),
		async (c) => {
			const { limit, cursor } = c.req.valid("query");
			const page = await listZones(c.get("db"), limit, cursor);
			return c.json({ items: page.items.map(zoneJson), next_cursor: page.next }, 200);
		},
	)
	.openapi(
		createRoute({
			method: "post",
			path: "/",
			tags,
			summary: "Create a zone",
			description: "With a `polygon`, incidents that have coordinates and no zone yet and lie inside it are assigned to the new zone.",
			security: adminOnly,
			middleware: [requireAdmin] as const,
			request: { body: jsonBody(CreateZone) },
			responses: { 201: jsonContent(Zone, "The new zone", zoneExample), ...pick(400, 401, 409, 413, 415, 422, 503) },
		}),
		async (c) => {
			const row = await createZone(c.get("db"), c.req.valid("json"), c.get("now"));
			c.header("location", `/api/zones/${row.id}`);
			return c.json(zoneJson(row), 201);
		},
	)
	.openapi(
		createRoute({
			method: "get",
			path: "/{id}",
			tags,
			summary: "Get a zone by id or slug",
			security: adminOnly,
			middleware: [requireAdmin] as const,
			request: { params: IdParam },
			responses: { 200: jsonContent(Zone, "The zone", zoneExample), ...pick(401, 404, 503) },
		}),
		async (c) => c.json(zoneJson(await getZone(c.get("db"), c.req.valid("param").id)), 200),
	);
