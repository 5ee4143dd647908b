// The security-matrix rows for the alerts routes (see routes.ts for what a row means).
import { env } from "cloudflare:test";
import { call, uniqueSlug } from "../support/http";
import type { RouteRow } from "./routes";

const subscribersPrint = () =>
	env.DB.prepare(
		"SELECT count(*) AS n, count(unsubscribed_at) AS u, count(suppressed_at) AS s, total(soft_bounces) AS b, total(updated_at) AS t, sum(paused) AS p, (SELECT count(*) FROM alerts) AS a FROM subscribers",
	).first();
const silencesPrint = () => env.DB.prepare("SELECT count(*) AS n, total(until) AS t FROM silences").first();

/** A subscriber made through the API; its unsubscribe token is the last segment of unsubscribe_url. */
async function makeSubscriber(): Promise<{ id: number; token: string }> {
	const res = await call("/api/subscribers", { method: "POST", admin: true, json: { email: `${uniqueSlug("sub")}@example.org` } });
	if (res.status !== 201) throw new Error(`fixture subscriber: ${res.status} ${await res.text()}`);
	const body = (await res.json()) as { id: number; unsubscribe_url: string };
	return { id: body.id, token: body.unsubscribe_url.split("/").pop() as string };
}

/** A subscriber whose mail a hard bounce stopped (set directly: the queue consumer has its own tests). */
async function makeSuppressedSubscriber(): Promise<{ id: number }> {
	const { id } = await makeSubscriber();
	await env.DB.prepare("UPDATE subscribers SET suppressed_at = ?, suppressed_reason = 'hard_bounce', soft_bounces = 2 WHERE id = ?").bind(Date.now(), id).run();
	return { id };
}

async function makeSilence(): Promise<{ id: number }> {
	const res = await call("/api/silences", { method: "POST", admin: true, json: { tag: uniqueSlug("quiet"), until: "2031-01-01T00:00:00Z", reason: "matrix" } });
	if (res.status !== 201) throw new Error(`fixture silence: ${res.status} ${await res.text()}`);
	return (await res.json()) as { id: number };
}

export const ALERTS_ROUTES: RouteRow[] = [
	{ method: "GET", path: "/api/subscribers", access: "admin", ok: 200, prepare: async () => ({ path: "/api/subscribers?limit=2" }) },
	{
		method: "POST",
		path: "/api/subscribers",
		access: "admin",
		ok: 201,
		fingerprint: subscribersPrint,
		prepare: async () => ({ path: "/api/subscribers", json: { email: `${uniqueSlug("new")}@example.org` } }),
	},
	{
		method: "GET",
		path: "/api/subscribers/{id}",
		access: "admin",
		ok: 200,
		prepare: async () => ({ path: `/api/subscribers/${(await makeSubscriber()).id}` }),
	},
	{
		method: "POST",
		path: "/api/subscribers/{id}/reactivate",
		access: "admin",
		ok: 200,
		fingerprint: subscribersPrint,
		prepare: async () => ({ path: `/api/subscribers/${(await makeSuppressedSubscriber()).id}/reactivate` }),
	},
	{
		method: "PATCH",
		path: "/api/subscribers/{id}",
		access: "admin",
		ok: 200,
		fingerprint: subscribersPrint,
		prepare: async () => ({ path: `/api/subscribers/${(await makeSubscriber()).id}`, json: { paused: true, digest: false } }),
	},
	{
		method: "DELETE",
		path: "/api/subscribers/{id}",
		access: "admin",
		ok: 200,
		fingerprint: subscribersPrint,
		prepare: async () => ({ path: `/api/subscribers/${(await makeSubscriber()).id}` }),
	},
	{ method: "GET", path: "/api/silences", access: "admin", ok: 200, prepare: async () => ({ path: "/api/silences?limit=2" }) },
	{
		method: "POST",
		path: "/api/silences",
		access: "admin",
		ok: 201,
		fingerprint: silencesPrint,
		prepare: async () => ({ path: "/api/silences", json: { tag: uniqueSlug("q"), until: "2031-01-01T00:00:00Z", reason: "matrix" } }),
	},
	{
		method: "DELETE",
		path: "/api/silences/{id}",
		access: "admin",
		ok: 200,
		fingerprint: silencesPrint,
		prepare: async () => ({ path: `/api/silences/${(await makeSilence()).id}` }),
	},
	{ method: "GET", path: "/api/alerts", access: "admin", ok: 200, prepare: async () => ({ path: "/api/alerts?limit=2" }) },
	// The recipient's link is the credential: any caller with the token gets in, bearer or not.
	{ method: "GET", path: "/unsubscribe/{token}", access: "public", ok: 200, prepare: async () => ({ path: `/unsubscribe/${(await makeSubscriber()).token}` }) },
	{
		method: "POST",
		path: "/unsubscribe/{token}",
		access: "public",
		ok: 200,
		prepare: async () => ({ path: `/unsubscribe/${(await makeSubscriber()).token}` }),
	},
	{ method: "GET", path: "/feeds/milestones.ics", access: "read", ok: 200, prepare: async () => ({ path: "/feeds/milestones.ics" }) },
];
