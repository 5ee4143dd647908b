// The security-matrix rows for situation pages (see routes.ts for what a row means). Each row's
// page is public: a private page's own rule (a token even without READ_TOKEN) is in test/pages/.
import { env } from "cloudflare:test";
import { uniqueSlug } from "../support/http";
import { createPage, createTaggedMilestone } from "../support/pages";
import { createZone } from "../support/zones";
import type { RouteRow } from "./routes";

const pagesPrint = () => env.DB.prepare("SELECT count(*) AS n, total(updated_at) AS u, group_concat(title) AS t FROM pages").first();

/** A page over a fresh tag and zone, so its create and edits go through both checks. */
async function filteredPage() {
	const tag = uniqueSlug("t");
	await createTaggedMilestone([tag]);
	const zone = await createZone();
	return { tags: [tag], zones: [zone.slug] };
}

const pagePath = async (tail = "") => `/p/${(await createPage(await filteredPage())).slug}${tail}`;

export const PAGES_ROUTES: RouteRow[] = [
	{ method: "GET", path: "/api/pages", access: "read", ok: 200, prepare: async () => ({ path: "/api/pages?limit=2" }) },
	{
		method: "POST",
		path: "/api/pages",
		access: "admin",
		ok: 201,
		fingerprint: pagesPrint,
		prepare: async () => ({ path: "/api/pages", json: { slug: uniqueSlug("pc"), title: "Matrix page", ...(await filteredPage()) } }),
	},
	{ method: "GET", path: "/api/pages/{id}", access: "read", ok: 200, prepare: async () => ({ path: `/api/pages/${(await createPage()).id}` }) },
	{
		method: "PATCH",
		path: "/api/pages/{id}",
		access: "admin",
		ok: 200,
		fingerprint: pagesPrint,
		prepare: async () => ({ path: `/api/pages/${(await createPage()).id}`, json: { title: "Matrix renamed", ...(await filteredPage()) } }),
	},
	{
		method: "DELETE",
		path: "/api/pages/{id}",
		access: "admin",
		ok: 204,
		fingerprint: pagesPrint,
		prepare: async () => ({ path: `/api/pages/${(await createPage()).slug}` }),
	},
	{ method: "GET", path: "/p/{slug}", access: "read", ok: 200, prepare: async () => ({ path: await pagePath() }) },
	{ method: "GET", path: "/p/{slug}/status", access: "read", ok: 200, prepare: async () => ({ path: await pagePath("/status") }) },
	{ method: "GET", path: "/p/{slug}/milestones.ics", access: "read", ok: 200, prepare: async () => ({ path: await pagePath("/milestones.ics") }) },
	{ method: "GET", path: "/p/{slug}/incidents.atom", access: "read", ok: 200, prepare: async () => ({ path: await pagePath("/incidents.atom") }) },
];
