// Sources and signed webhooks: a source made through the API, incidents and envelopes, and a
// sender that signs with the official Standard Webhooks library.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { Webhook } from "standardwebhooks";
import worker from "../../worker/index";
import { call, uniqueSlug } from "./http";

/** Creates a source through the API; returns its slug, id and the secret shown once. */
export async function newSource(prefix = "src") {
	const slug = uniqueSlug(prefix);
	const res = await call("/api/sources", { method: "POST", admin: true, json: { slug, name: `Source ${slug}` } });
	if (res.status !== 201) throw new Error(`source create: ${res.status} ${await res.text()}`);
	const body = (await res.json()) as { id: number; slug: string; secret: string };
	return { slug, id: body.id, secret: body.secret };
}

let seq = 0;
/** A unique webhook-id. */
export const msgId = () => `msg_${Date.now().toString(36)}${(seq++).toString(36)}`;

/** Signs with the official Standard Webhooks library, as a real sender would, and posts it. */
export function deliver(
	slug: string,
	secret: string,
	payload: unknown,
	opts: { id?: string; at?: Date; body?: string; headers?: Record<string, string> } = {},
) {
	const id = opts.id ?? msgId();
	const at = opts.at ?? new Date();
	const body = opts.body ?? JSON.stringify(payload);
	const signature = new Webhook(secret).sign(id, at, body);
	return call(`/webhooks/${slug}`, {
		method: "POST",
		body,
		headers: {
			"content-type": "application/json",
			"webhook-id": id,
			"webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
			"webhook-signature": signature,
			...opts.headers,
		},
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
	const headers = {
		"content-type": "application/json",
		"webhook-id": id,
		"webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
		"webhook-signature": new Webhook(secret).sign(id, at, body),
	};
	const ctx = createExecutionContext();
	const res = await worker.fetch(new Request(`https://vigil.test/webhooks/${slug}`, { method: "POST", headers, body }), { ...env, DB: database }, ctx);
	await waitOnExecutionContext(ctx);
	return res;
}
