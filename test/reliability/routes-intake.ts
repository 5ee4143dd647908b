// The security-matrix rows for the intake routes (see routes.ts for what a row means).
import { env } from "cloudflare:test";
import { call, uniqueSlug } from "../support/http";
import { type RouteRow, signatureHeaders } from "./routes";

const incidentsPrint = () => env.DB.prepare("SELECT count(*) AS n, total(updated_at) AS u, (SELECT count(*) FROM deliveries) AS d FROM incidents").first();
const sourcesPrint = () => env.DB.prepare("SELECT count(*) AS n, total(coalesce(rotated_at, 0)) AS r, sum(active) AS a FROM sources").first();

/** A source made through the API; its whsec_ secret is shown this once. */
async function makeSource(): Promise<{ id: number; slug: string; secret: string }> {
	const res = await call("/api/sources", { method: "POST", admin: true, json: { slug: uniqueSlug("src"), name: "Matrix source" } });
	if (res.status !== 201) throw new Error(`fixture source: ${res.status} ${await res.text()}`);
	return (await res.json()) as { id: number; slug: string; secret: string };
}

/** One incident.reported envelope with a fresh external_id. */
const envelope = () => ({
	type: "incident.reported",
	timestamp: new Date().toISOString(),
	data: { external_id: uniqueSlug("ext"), event_date: "2025-09-01", event_type: "Battles" },
});

/** An incident delivered through a signed webhook. */
async function makeIncident(): Promise<{ id: number }> {
	const source = await makeSource();
	const body = JSON.stringify(envelope());
	const res = await call(`/webhooks/${source.slug}`, {
		method: "POST",
		headers: { "content-type": "application/json", ...signatureHeaders(source.secret, body) },
		body,
	});
	if (res.status !== 202) throw new Error(`fixture incident: ${res.status} ${await res.text()}`);
	const { ids } = (await res.json()) as { ids: number[] };
	return { id: ids[0] as number };
}

export const INTAKE_ROUTES: RouteRow[] = [
	{
		method: "POST",
		path: "/webhooks/{source}",
		access: "signed",
		ok: 202,
		fingerprint: incidentsPrint,
		prepare: async () => {
			const [own, other] = await Promise.all([makeSource(), makeSource()]);
			return { path: `/webhooks/${own.slug}`, json: envelope(), secrets: { own: own.secret, other: other.secret } };
		},
	},
	{ method: "GET", path: "/api/incidents", access: "read", ok: 200, prepare: async () => ({ path: "/api/incidents?limit=2" }) },
	{ method: "GET", path: "/api/incidents/{id}", access: "read", ok: 200, prepare: async () => ({ path: `/api/incidents/${(await makeIncident()).id}` }) },
	{
		method: "PATCH",
		path: "/api/incidents/{id}",
		access: "admin",
		ok: 200,
		fingerprint: incidentsPrint,
		prepare: async () => ({ path: `/api/incidents/${(await makeIncident()).id}`, json: { verification: "verified", verification_note: "matrix check" } }),
	},
	{ method: "GET", path: "/api/incidents.csv", access: "read", ok: 200, prepare: async () => ({ path: "/api/incidents.csv" }) },
	{ method: "GET", path: "/api/incidents.geojson", access: "read", ok: 200, prepare: async () => ({ path: "/api/incidents.geojson" }) },
	{
		method: "POST",
		path: "/api/incidents/import",
		access: "admin",
		ok: 200,
		fingerprint: incidentsPrint,
		prepare: async () => {
			const source = await makeSource();
			return {
				path: `/api/incidents/import?source=${source.slug}`,
				raw: { contentType: "text/csv", body: `event_id_cnty,event_date,event_type\n${uniqueSlug("imp")},2025-09-01,Battles\n` },
			};
		},
	},
	{ method: "GET", path: "/api/sources", access: "admin", ok: 200, prepare: async () => ({ path: "/api/sources?limit=2" }) },
	{
		method: "POST",
		path: "/api/sources",
		access: "admin",
		ok: 201,
		fingerprint: sourcesPrint,
		prepare: async () => ({ path: "/api/sources", json: { slug: uniqueSlug("sc"), name: "Matrix created source" } }),
	},
	{ method: "GET", path: "/api/sources/{id}", access: "admin", ok: 200, prepare: async () => ({ path: `/api/sources/${(await makeSource()).id}` }) },
	{
		method: "PATCH",
		path: "/api/sources/{id}",
		access: "admin",
		ok: 200,
		fingerprint: sourcesPrint,
		prepare: async () => ({ path: `/api/sources/${(await makeSource()).id}`, json: { active: false } }),
	},
	// The JSON API wants a JSON body on every POST, even one with no fields (415 otherwise, before auth).
	{
		method: "POST",
		path: "/api/sources/{id}/rotate",
		access: "admin",
		ok: 200,
		fingerprint: sourcesPrint,
		prepare: async () => ({ path: `/api/sources/${(await makeSource()).id}/rotate`, json: {} }),
	},
];
