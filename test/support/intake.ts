// Sources and signed webhooks through the API, as an admin and a sender meet them: createSource
// (POST /api/sources, which shows the secret once), incidents and their envelope, and the one
// signer, the official Standard Webhooks library. For rows written straight into D1 instead
// (insertSource, insertIncident), use ./incident-rows.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { Webhook } from "standardwebhooks";
import worker from "../../worker/index";
import { call, uniqueSlug } from "./http";

/** Creates a source through the API; returns its slug, id and the secret shown once. */
export async function createSource(prefix = "src") {
	const slug = uniqueSlug(prefix);
	const res = await call("/api/sources", { method: "POST", admin: true, json: { slug, name: `Source ${slug}` } });
	if (res.status !== 201) throw new Error(`source create: ${res.status} ${await res.text()}`);
	const body = (await res.json()) as { id: number; slug: string; secret: string };
	return { slug, id: body.id, secret: body.secret };
}

let seq = 0;
/** A unique webhook-id. */
export const msgId = () => `msg_${Date.now().toString(36)}${(seq++).toString(36)}`;

/** The Standard Webhooks headers for `body`, signed with `secret` by the official library as a real sender would. */
export function signedHeaders(secret: string, body: string, { id = msgId(), at = new Date() }: { id?: string; at?: Date } = {}): Record<string, string> {
	return {
		"webhook-id": id,
		"webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
		"webhook-signature": new Webhook(secret).sign(id, at, body),
	};
}

/** Signs `payload` (or `opts.body` verbatim) and posts it to the source's webhook. */
export function deliver(
	slug: string,
	secret: string,
	payload: unknown,
	opts: { id?: string; at?: Date; body?: string; headers?: Record<string, string> } = {},
) {
	const body = opts.body ?? JSON.stringify(payload);
	return call(`/webhooks/${slug}`, {
		method: "POST",
		body,
		headers: { "content-type": "application/json", ...signedHeaders(secret, body, opts), ...opts.headers },
	});
}

/** A valid incident with a unique external_id. */
export function incident(over: Record<string, unknown> = {}) {
	return {
		external_id: uniqueSlug("ev"),
		event_date: "2025-08-20",
		event_type: "Battles",
		sub_event_type: "Armed clash",
		country: "Iraq",
		admin1: "Al Anbar",
		location: "Wadi Hauran",
		fatalities: 0,
		...over,
	};
}

/** The Standard Webhooks envelope around one incident or a batch. */
export const envelope = (data: unknown, type = "incident.reported") => ({ type, timestamp: new Date().toISOString(), data });

/**
 * Signs `body` at `at`, as a sender does on every attempt, and posts it straight to the Worker's
 * fetch with `database` as its DB binding (a wrapper that counts or fails round trips).
 */
export async function postWith(database: D1Database, slug: string, secret: string, id: string, body: string, at = new Date()): Promise<Response> {
	const headers = { "content-type": "application/json", ...signedHeaders(secret, body, { id, at }) };
	const ctx = createExecutionContext();
	const res = await worker.fetch(new Request(`https://vigil.test/webhooks/${slug}`, { method: "POST", headers, body }), { ...env, DB: database }, ctx);
	await waitOnExecutionContext(ctx);
	return res;
}
