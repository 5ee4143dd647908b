// The security-matrix rows for the alerts routes (see routes.ts for what a row means).
import { env } from "cloudflare:test";
import { ackToken } from "../../worker/alerts/ack-link";
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

const acksPrint = () => env.DB.prepare("SELECT count(*) AS n, (SELECT count(*) FROM alerts) AS a FROM alert_acks").first();

/** An overdue notice (set directly: the sweep has its own tests) for a milestone made through the API, and its ack token. */
async function makeOverdueAlert(): Promise<{ id: number; token: string }> {
	const res = await call("/api/milestones", { method: "POST", admin: true, json: { title: "Matrix overdue", due: "2020-01", slug: uniqueSlug("mo") } });
	if (res.status !== 201) throw new Error(`fixture milestone: ${res.status} ${await res.text()}`);
	const m = (await res.json()) as { id: number; due_at: string };
	const dueAt = Date.parse(m.due_at);
	const row = await env.DB.prepare(
		"INSERT INTO alerts (kind, milestone_id, offset, due_at, recipient, dedupe_key, status, attempts, next_attempt_at, created_at) VALUES ('overdue', ?, 'PT0S', ?, 'matrix@example.org', ?, 'sent', 1, ?, ?) RETURNING id",
	)
		.bind(m.id, dueAt, uniqueSlug("key"), dueAt, dueAt)
		.first<{ id: number }>();
	if (!row) throw new Error("fixture alert: no row");
	return { id: row.id, token: (await ackToken(env.SECRETS_KEY ?? null, row.id)) ?? "" };
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
	{
		method: "POST",
		path: "/api/alerts/{id}/ack",
		access: "admin",
		ok: 200,
		fingerprint: acksPrint,
		prepare: async () => ({ path: `/api/alerts/${(await makeOverdueAlert()).id}/ack` }),
	},
	// As for unsubscribing, the signed link is the credential.
	{ method: "GET", path: "/ack/{token}", access: "public", ok: 200, prepare: async () => ({ path: `/ack/${(await makeOverdueAlert()).token}` }) },
	{ method: "POST", path: "/ack/{token}", access: "public", ok: 200, prepare: async () => ({ path: `/ack/${(await makeOverdueAlert()).token}` }) },
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
