// The security-matrix rows for the intake routes (see routes.ts for what a row means).
import { env } from "cloudflare:test";
import { uniqueSlug } from "../support/http";
import { createSource, deliver, envelope, incident } from "../support/intake";
import type { RouteRow } from "./routes";

const incidentsPrint = () => env.DB.prepare("SELECT count(*) AS n, total(updated_at) AS u, (SELECT count(*) FROM deliveries) AS d FROM incidents").first();
const sourcesPrint = () => env.DB.prepare("SELECT count(*) AS n, total(coalesce(rotated_at, 0)) AS r, sum(active) AS a FROM sources").first();

/** An incident delivered through a signed webhook, from a source of its own. */
async function deliveredIncident(): Promise<{ id: number }> {
	const source = await createSource();
	const res = await deliver(source.slug, source.secret, envelope(incident()));
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
			const [own, other] = await Promise.all([createSource(), createSource()]);
			return { path: `/webhooks/${own.slug}`, json: envelope(incident()), secrets: { own: own.secret, other: other.secret } };
		},
	},
	{ method: "GET", path: "/api/incidents", access: "read", ok: 200, prepare: async () => ({ path: "/api/incidents?limit=2" }) },
	{ method: "GET", path: "/api/incidents/{id}", access: "read", ok: 200, prepare: async () => ({ path: `/api/incidents/${(await deliveredIncident()).id}` }) },
	{
		method: "PATCH",
		path: "/api/incidents/{id}",
		access: "admin",
		ok: 200,
		fingerprint: incidentsPrint,
		prepare: async () => ({ path: `/api/incidents/${(await deliveredIncident()).id}`, json: { verification: "verified", verification_note: "matrix check" } }),
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
			const source = await createSource();
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
	{ method: "GET", path: "/api/sources/{id}", access: "admin", ok: 200, prepare: async () => ({ path: `/api/sources/${(await createSource()).id}` }) },
	{
		method: "PATCH",
		path: "/api/sources/{id}",
		access: "admin",
		ok: 200,
		fingerprint: sourcesPrint,
		prepare: async () => ({ path: `/api/sources/${(await createSource()).id}`, json: { active: false } }),
	},
	// The JSON API wants a JSON body on every POST, even one with no fields (415 otherwise, before auth).
	{
		method: "POST",
		path: "/api/sources/{id}/rotate",
		access: "admin",
		ok: 200,
		fingerprint: sourcesPrint,
		prepare: async () => ({ path: `/api/sources/${(await createSource()).id}/rotate`, json: {} }),
	},
];
