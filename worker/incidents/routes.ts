import { createRoute, z } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { requireAdmin, requireRead } from "../http/auth";
import { AppError } from "../http/errors";
import { adminOnly, createRouter, jsonBody, jsonContent, validationError } from "../http/openapi";
import { IdParam, pick } from "../http/schemas";
import { getSource } from "../sources";
import { Incident, incidentJson } from "./columns";
import {
	importCsvExample,
	importResultExample,
	incidentExample,
	incidentListExample,
	incidentsCsvExample,
	incidentsGeoJsonExample,
	verifiedIncidentExample,
} from "./examples";
import { incidentsCsv, incidentsGeoJson } from "./exports";
import { csvText, importAcledCsv } from "./import";
import { getIncident, listIncidents, verifyIncident } from "./queries";
import { ImportQuery, ImportResult, IncidentFilters, IncidentList, IncidentQuery, UpdateIncident } from "./schema";

const tags = ["Incidents"];
/** An ACLED CSV import may be larger than the JSON API's 256 KiB; rows are written in chunks. */
export const IMPORT_BODY_LIMIT = 8 * 1024 * 1024;

const importTooLarge = (): never => {
	throw new AppError("payload_too_large", `The CSV is larger than ${IMPORT_BODY_LIMIT / 1024 / 1024} MiB; split it.`);
};

/** /api/incidents: list, read, verify, import. */
export const incidentsRouter = createRouter()
	.openapi(
		createRoute({
			method: "get",
			path: "/",
			tags,
			summary: "List incidents, newest first",
			description: "Filters combine with AND. Retracted incidents are left out unless `include_retracted=true`.",
			middleware: [requireRead] as const,
			request: { query: IncidentQuery },
			responses: { 200: jsonContent(IncidentList, "A page of incidents", incidentListExample), ...pick(400, 401, 503) },
		}),
		async (c) => {
			const page = await listIncidents(c.get("db"), c.req.valid("query"));
			return c.json({ items: page.items.map(incidentJson), next_cursor: page.next }, 200);
		},
	)
	.openapi(
		createRoute({
			method: "post",
			path: "/import",
			tags,
			summary: "Import an ACLED-format CSV",
			description: `Body: \`text/csv\` with ACLED's header row (at most ${IMPORT_BODY_LIMIT / 1024 / 1024} MiB, 20,000 rows). Rows upsert by \`event_id_cnty\` under \`source\`; bad rows are skipped and reported with their reasons.`,
			security: adminOnly,
			middleware: [requireAdmin, bodyLimit({ maxSize: IMPORT_BODY_LIMIT, onError: importTooLarge })] as const,
			request: { query: ImportQuery, body: { required: true, content: { "text/csv": { schema: z.string(), example: importCsvExample } } } },
			responses: {
				200: jsonContent(ImportResult, "Counts, and each rejected row with its reasons", importResultExample),
				...pick(400, 401, 404, 413, 415, 422, 503),
			},
		}),
		async (c) => {
			if (!/^text\/csv\s*(?:;|$)/i.test(c.req.header("content-type") ?? "")) throw new AppError("unsupported_media_type", "Send the file as text/csv.");
			const source = await getSource(c.get("db"), c.req.valid("query").source);
			return c.json(await importAcledCsv(c.get("db"), source, csvText(new Uint8Array(await c.req.arrayBuffer())), c.get("now")), 200);
		},
	)
	.openapi(
		createRoute({
			method: "get",
			path: "/{id}",
			tags,
			summary: "Get an incident",
			middleware: [requireRead] as const,
			request: { params: IdParam },
			responses: { 200: jsonContent(Incident, "The incident (also when retracted)", incidentExample), ...pick(401, 404, 503) },
		}),
		async (c) => c.json(incidentJson(await getIncident(c.get("db"), c.req.valid("param").id)), 200),
	)
	.openapi(
		createRoute({
			method: "patch",
			path: "/{id}",
			tags,
			summary: "Verify or reject an incident",
			description: "`verified` and `rejected` need a note. Rejected incidents leave counts and exports.",
			security: adminOnly,
			middleware: [requireAdmin] as const,
			request: { params: IdParam, body: jsonBody(UpdateIncident) },
			responses: { 200: jsonContent(Incident, "The incident", verifiedIncidentExample), ...pick(400, 401, 404, 413, 415, 422, 503) },
		}),
		async (c) => c.json(incidentJson(await verifyIncident(c.get("db"), c.req.valid("param").id, c.req.valid("json"), c.get("now"))), 200),
	);

const exportTags = ["Exports"];

/** /api/incidents.csv and /api/incidents.geojson: streamed, filtered like the list, without retracted or rejected incidents. */
export const incidentExportsRouter = createRouter().openapi(
	createRoute({
		method: "get",
		path: "/incidents.csv",
		tags: exportTags,
		summary: "Incidents as ACLED-style CSV",
		description:
			"ACLED's columns in ACLED's order (empty where Vigil has no value), then Vigil's. Text that a spreadsheet would run as a formula is prefixed with `'`.",
		middleware: [requireRead] as const,
		request: { query: IncidentFilters },
		responses: {
			200: { description: "CSV (RFC 4180)", content: { "text/csv": { schema: z.string(), example: incidentsCsvExample } } },
			...pick(400, 401, 503),
		},
	}),
	(c) =>
		c.body(incidentsCsv(c.get("db"), c.req.valid("query")), 200, {
			"content-type": "text/csv; charset=utf-8; header=present",
			"content-disposition": 'attachment; filename="incidents.csv"',
		}),
);

const geoJsonRoute = createRoute({
	method: "get",
	path: "/incidents.geojson",
	tags: exportTags,
	summary: "Incidents as a GeoJSON FeatureCollection (RFC 7946)",
	request: { query: IncidentFilters },
	responses: {
		200: {
			description: "A FeatureCollection of Point features (null geometry without coordinates)",
			content: {
				"application/geo+json": {
					schema: z.object({ type: z.literal("FeatureCollection"), features: z.array(z.unknown()) }),
					example: incidentsGeoJsonExample,
				},
			},
		},
		...pick(400, 401, 503),
	},
});

// Registered for the document, served as a plain route: the typed helpers would treat
// application/geo+json as a JSON value to serialise, not as a stream.
incidentExportsRouter.openAPIRegistry.registerPath(geoJsonRoute);
incidentExportsRouter.get("/incidents.geojson", requireRead, (c) => {
	const query = IncidentFilters.safeParse(c.req.query());
	if (!query.success) throw validationError("query", query.error);
	return c.body(incidentsGeoJson(c.get("db"), query.data), 200, { "content-type": "application/geo+json; charset=utf-8" });
});
