// The route table for the security matrix: every route of the app, who may call it, and how
// to build a request that succeeds for an allowed caller. Add a row here when a route lands;
// the matrix test fails while a route in the OpenAPI document has no row.
import { env } from "cloudflare:test";
import { call, uniqueSlug } from "../support/http";
import { createZone } from "../support/zones";
import { ALERTS_ROUTES } from "./routes-alerts";
import { CHANNELS_ROUTES } from "./routes-channels";
import { INTAKE_ROUTES } from "./routes-intake";
import { OPTIN_ROUTES } from "./routes-optin";
import { PAGES_ROUTES } from "./routes-pages";

/**
 * public: anyone. read: open unless READ_TOKEN is set, then the read or admin token.
 * admin: only the admin token. signed: only a Standard Webhooks signature by the source's own
 * secret (bearer tokens and other sources' signatures count for nothing).
 */
export type Access = "public" | "read" | "admin" | "signed";

/** A request the matrix sends; `prepare` makes the data it needs, once per request. */
export interface RouteRequest {
	path: string;
	/** A JSON body (sent as application/json)... */
	json?: unknown;
	/** ...or a raw body with its content type (a CSV import). */
	raw?: { body: string; contentType: string };
	/**
	 * For signed routes: the whsec_ secret of the source named in the path, and of another
	 * source (from POST /api/sources). Elsewhere the signing callers use throwaway secrets.
	 */
	secrets?: { own: string; other: string };
	/** Other request headers (a client address for a per-client rate limit). */
	headers?: Record<string, string>;
}

export interface RouteRow {
	method: "GET" | "POST" | "PATCH" | "DELETE";
	/** The path as the OpenAPI document writes it ({id}); routes outside the document say so. */
	path: string;
	access: Access;
	/** Status for a caller who is let in. */
	ok: number;
	/** Builds a fresh, valid request (a DELETE consumes its milestone, so each call gets its own). */
	prepare: () => Promise<RouteRequest>;
	/** For writes: a fingerprint of the table(s) the route writes, compared around denied calls. */
	fingerprint?: () => Promise<unknown>;
	/** Not in /openapi.json (the document and its viewer). */
	undocumented?: boolean;
}

/** A milestone made through the API, for routes that need one. */
export async function makeMilestone(): Promise<{ id: number; slug: string }> {
	const res = await call("/api/milestones", { method: "POST", admin: true, json: { title: "Matrix fixture", due: "2031-06", slug: uniqueSlug("mx") } });
	if (res.status !== 201) throw new Error(`fixture milestone: ${res.status} ${await res.text()}`);
	return (await res.json()) as { id: number; slug: string };
}

const milestonesPrint = () =>
	env.DB.prepare(
		"SELECT count(*) AS n, total(updated_at) AS u, sum(status = 'cancelled') AS c, (SELECT count(*) FROM milestone_revisions) AS r FROM milestones",
	).first();
const outcomesPrint = async () => [await milestonesPrint(), await env.DB.prepare("SELECT count(*) AS n FROM milestone_outcomes").first()];
const zonesPrint = () => env.DB.prepare("SELECT count(*) AS n, total(revision) AS r, total(updated_at) AS u FROM zones").first();

export const ROUTES: RouteRow[] = [
	{ method: "GET", path: "/healthz", access: "public", ok: 200, prepare: async () => ({ path: "/healthz" }) },
	{ method: "GET", path: "/openapi.json", access: "public", ok: 200, undocumented: true, prepare: async () => ({ path: "/openapi.json" }) },
	{ method: "GET", path: "/docs", access: "public", ok: 200, undocumented: true, prepare: async () => ({ path: "/docs" }) },
	{
		method: "GET",
		path: "/docs/scalar-api-reference-{version}.js",
		access: "public",
		ok: 200,
		undocumented: true,
		prepare: async () => ({ path: /<script[^>]*\bsrc="(\/docs\/[^"]+)"/.exec(await (await call("/docs")).text())?.[1] ?? "/docs/no-script-found" }),
	},
	{ method: "GET", path: "/status", access: "read", ok: 200, prepare: async () => ({ path: "/status" }) },
	{ method: "GET", path: "/", access: "read", ok: 200, prepare: async () => ({ path: "/" }) },
	{ method: "GET", path: "/api/milestones", access: "read", ok: 200, prepare: async () => ({ path: "/api/milestones?limit=2" }) },
	{
		method: "POST",
		path: "/api/milestones",
		access: "admin",
		ok: 201,
		fingerprint: milestonesPrint,
		prepare: async () => ({ path: "/api/milestones", json: { title: "Matrix created", due: "2032-01", slug: uniqueSlug("mc") } }),
	},
	{ method: "GET", path: "/api/milestones/{id}", access: "read", ok: 200, prepare: async () => ({ path: `/api/milestones/${(await makeMilestone()).id}` }) },
	{
		method: "PATCH",
		path: "/api/milestones/{id}",
		access: "admin",
		ok: 200,
		fingerprint: milestonesPrint,
		prepare: async () => ({ path: `/api/milestones/${(await makeMilestone()).id}`, json: { due: "2031-09", reason: "matrix slip" } }),
	},
	{
		method: "DELETE",
		path: "/api/milestones/{id}",
		access: "admin",
		ok: 200,
		fingerprint: milestonesPrint,
		prepare: async () => ({ path: `/api/milestones/${(await makeMilestone()).slug}` }),
	},
	{
		method: "GET",
		path: "/api/milestones/{id}/revisions",
		access: "read",
		ok: 200,
		prepare: async () => ({ path: `/api/milestones/${(await makeMilestone()).id}/revisions` }),
	},
	{
		method: "POST",
		path: "/api/milestones/{id}/outcome",
		access: "admin",
		ok: 200,
		fingerprint: outcomesPrint,
		prepare: async () => ({ path: `/api/milestones/${(await makeMilestone()).id}/outcome`, json: { status: "met", note: "matrix outcome" } }),
	},
	{
		method: "GET",
		path: "/api/milestones/{id}/outcomes",
		access: "read",
		ok: 200,
		prepare: async () => ({ path: `/api/milestones/${(await makeMilestone()).id}/outcomes` }),
	},
	{ method: "GET", path: "/api/zones", access: "read", ok: 200, prepare: async () => ({ path: "/api/zones?limit=2" }) },
	{
		method: "POST",
		path: "/api/zones",
		access: "admin",
		ok: 201,
		fingerprint: zonesPrint,
		prepare: async () => ({ path: "/api/zones", json: { slug: uniqueSlug("zc"), name: "Matrix created zone" } }),
	},
	{ method: "GET", path: "/api/zones/{id}", access: "read", ok: 200, prepare: async () => ({ path: `/api/zones/${(await createZone()).slug}` }) },
	{
		method: "PATCH",
		path: "/api/zones/{id}",
		access: "admin",
		ok: 200,
		fingerprint: zonesPrint,
		prepare: async () => ({ path: `/api/zones/${(await createZone()).slug}`, json: { name: "Matrix renamed zone", country: null } }),
	},
	{
		method: "DELETE",
		path: "/api/zones/{id}",
		access: "admin",
		ok: 200,
		fingerprint: zonesPrint,
		prepare: async () => ({ path: `/api/zones/${(await createZone()).id}` }),
	},
	{ method: "GET", path: "/feeds/incidents.atom", access: "read", ok: 200, prepare: async () => ({ path: "/feeds/incidents.atom" }) },
	{ method: "GET", path: "/feeds/milestones.atom", access: "read", ok: 200, prepare: async () => ({ path: "/feeds/milestones.atom" }) },
	...INTAKE_ROUTES,
	...ALERTS_ROUTES,
	...CHANNELS_ROUTES,
	...OPTIN_ROUTES,
	...PAGES_ROUTES,
];
