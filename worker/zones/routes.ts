import { createRoute } from "@hono/zod-openapi";
import { requireAdmin, requireRead } from "../http/auth";
import { adminOnly, createRouter, jsonBody, jsonContent } from "../http/openapi";
import { IdParam, pick } from "../http/schemas";
import { deletedZoneExample, editedZoneExample, writtenZoneExample, zoneExample, zoneListExample } from "./examples";
import { createZone, deleteZone, getZone, listZones, updateZone, type WrittenZone as Written } from "./queries";
import { CreateZone, DeletedZone, UpdateZone, WrittenZone, Zone, ZoneList, ZoneQuery, zoneJson } from "./schema";

const tags = ["Zones"];

const writtenJson = ({ row, backfill }: Written) => ({ ...zoneJson(row), backfill: { done: backfill.done, assigned: backfill.assigned } });

export const zonesRouter = createRouter()
	.openapi(
		createRoute({
			method: "get",
			path: "/",
			tags,
			summary: "List zones",
			middleware: [requireRead] as const,
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
			description:
				"With a `polygon`, incidents that have coordinates and no zone yet and lie inside it are placed in the new zone: this request places the first few thousand, and `backfill.done` says whether that was all; the sweep places the rest. Sending the same create again (same slug, same fields) answers 200 with the zone as it stands and carries its backfill on; other fields under a taken slug are a 409.",
			security: adminOnly,
			middleware: [requireAdmin] as const,
			request: { body: jsonBody(CreateZone) },
			responses: {
				201: jsonContent(WrittenZone, "The new zone", writtenZoneExample),
				200: jsonContent(WrittenZone, "The same create again: the zone as it stands", writtenZoneExample),
				...pick(400, 401, 409, 413, 415, 422, 503),
			},
		}),
		async (c) => {
			const written = await createZone(c.get("db"), c.req.valid("json"), c.get("now"));
			c.header("location", `/api/zones/${written.row.id}`);
			return c.json(writtenJson(written), written.created ? 201 : 200);
		},
	)
	.openapi(
		createRoute({
			method: "get",
			path: "/{id}",
			tags,
			summary: "Get a zone by id or slug",
			middleware: [requireRead] as const,
			request: { params: IdParam },
			responses: { 200: jsonContent(Zone, "The zone", zoneExample), ...pick(401, 404, 503) },
		}),
		async (c) => c.json(zoneJson(await getZone(c.get("db"), c.req.valid("param").id)), 200),
	)
	.openapi(
		createRoute({
			method: "patch",
			path: "/{id}",
			tags,
			summary: "Change a zone",
			description:
				"`slug` stays (subscriber filters name it). A new `polygon` is validated as on create and places unzoned incidents inside it, as a create does; incidents already in a zone, this one included, keep theirs. `polygon: null` removes the area.",
			security: adminOnly,
			middleware: [requireAdmin] as const,
			request: { params: IdParam, body: jsonBody(UpdateZone) },
			responses: { 200: jsonContent(WrittenZone, "The changed zone", editedZoneExample), ...pick(400, 401, 404, 409, 413, 415, 422, 503) },
		}),
		async (c) => c.json(writtenJson(await updateZone(c.get("db"), c.req.valid("param").id, c.req.valid("json"), c.get("now"))), 200),
	)
	.openapi(
		createRoute({
			method: "delete",
			path: "/{id}",
			tags,
			summary: "Delete a zone",
			description:
				"Refused (409, each listed in `errors`) while a subscriber's zone filter or an active silence names the zone. Otherwise its incidents keep their data and lose their zone, alerts already in the ledger keep their history without it (a pending surge alert for it is not sent), and its ended silences go with it.",
			security: adminOnly,
			middleware: [requireAdmin] as const,
			request: { params: IdParam },
			responses: { 200: jsonContent(DeletedZone, "The zone as it was", deletedZoneExample), ...pick(401, 404, 409, 503) },
		}),
		async (c) => {
			const { row, unassigned } = await deleteZone(c.get("db"), c.req.valid("param").id, c.get("now"));
			return c.json({ ...zoneJson(row), incidents_unassigned: unassigned }, 200);
		},
	);
