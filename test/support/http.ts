// The Worker as a client meets it: requests through its own fetch handler (admin or not), the
// problem+json check, Cron Triggers fired through scheduled(), and unique slugs for test data.
import { createScheduledController, env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import worker from "../../worker/index";

export const ADMIN = { authorization: `Bearer ${env.ADMIN_TOKEN}` };

/** Calls the Worker's own fetch handler, as a client would. */
export function call(path: string, init: RequestInit & { json?: unknown; admin?: boolean } = {}): Promise<Response> {
	const { json, admin, headers, ...rest } = init;
	const h = new Headers(headers);
	if (json !== undefined) h.set("content-type", "application/json");
	if (admin) h.set("authorization", ADMIN.authorization);
	return exports.default.fetch(new Request(`https://vigil.test${path}`, { ...rest, headers: h, body: json !== undefined ? JSON.stringify(json) : rest.body }));
}

let counter = 0;
/** A slug no other test in this file has used. */
export const uniqueSlug = (prefix = "m") => `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

/** Asserts a problem+json answer and returns its body. */
export async function problem(res: Response, status: number) {
	const body = (await res.json()) as { type: string; title: string; status: number; detail: string; errors?: { path: string; message: string }[] };
	if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(body)}`);
	if (!res.headers.get("content-type")?.startsWith("application/problem+json")) throw new Error(`not problem+json: ${res.headers.get("content-type")}`);
	if (body.status !== status || !body.title || !body.type || typeof body.detail !== "string") throw new Error(`malformed problem: ${JSON.stringify(body)}`);
	return body;
}

/** Fires the Worker's scheduled() handler as the Cron Trigger for `cron` would at `at`. */
export async function fire(cron: string, at: Date): Promise<void> {
	await worker.scheduled(createScheduledController({ cron, scheduledTime: at }), env);
}
