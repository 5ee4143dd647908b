// Every refused webhook leaves one structured log entry (event, reason, source slug, status) that
// Workers Logs can filter by field, and nothing of the message: no secret, signature or body.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Env } from "../../../worker/env";
import worker from "../../../worker/index";
import { call, uniqueSlug } from "../../support/http";
import { createSource, envelope, incident, signedHeaders } from "../../support/intake";

/** Posts `body` to the slug's webhook through the Worker's own handler (this isolate, so console is ours to watch). */
async function post(slug: string, body: string, headers: Record<string, string>, bindings: Partial<Env> = {}) {
	const ctx = createExecutionContext();
	const res = await worker.fetch(
		new Request(`https://vigil.test/webhooks/${slug}`, { method: "POST", body, headers: { "content-type": "application/json", ...headers } }),
		{ ...env, ...bindings },
		ctx,
	);
	await waitOnExecutionContext(ctx);
	await res.arrayBuffer();
	return res.status;
}

afterEach(() => vi.restoreAllMocks());

describe("the refused-webhook log line", () => {
	it("is one entry per refusal naming the reason, the slug and the status, and never the secret, the signature or the body", async () => {
		const s = await createSource();
		const off = await createSource();
		expect((await call(`/api/sources/${off.id}`, { method: "PATCH", admin: true, json: { active: false } })).status).toBe(200);
		const marker = `body-marker-${uniqueSlug()}`;
		const body = JSON.stringify(envelope(incident({ notes: marker })));
		const nobody = uniqueSlug("nobody");
		const limited = { WEBHOOK_LIMITER: { limit: async () => ({ success: false }) } } as unknown as Partial<Env>;
		const sent: [string, number][] = [];
		const lines: string[] = [];
		vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
			lines.push(JSON.stringify(args));
		});
		const signed = (secret: string, text = body) => signedHeaders(secret, text);
		sent.push([nobody, await post(nobody, body, signed(s.secret))]);
		sent.push([s.slug, await post(s.slug, body, signed(off.secret))]);
		sent.push([s.slug, await post(s.slug, body, { ...signed(s.secret), "webhook-timestamp": "1000" })]);
		sent.push([off.slug, await post(off.slug, body, signed(off.secret))]);
		sent.push([s.slug, await post(s.slug, `{"type":"nope",${JSON.stringify(marker)}:1}`, signed(s.secret, `{"type":"nope",${JSON.stringify(marker)}:1}`))]);
		sent.push([s.slug, await post(s.slug, body, signed(s.secret), limited)]);
		const big = JSON.stringify(envelope(incident({ notes: marker.repeat(60_000) })));
		sent.push([s.slug, await post(s.slug, big, signed(s.secret, big))]);
		vi.restoreAllMocks();

		expect(sent.map(([, status]) => status)).toEqual([401, 401, 401, 403, 422, 429, 413]);
		const events = lines.map((l) => (JSON.parse(l) as unknown[])[0] as Record<string, unknown>).filter((e) => e?.event === "webhook.refused");
		expect(events).toEqual([
			{ event: "webhook.refused", reason: "unknown_source", source: nobody, status: 401 },
			{ event: "webhook.refused", reason: "bad_signature", source: s.slug, status: 401 },
			{ event: "webhook.refused", reason: "stale_timestamp", source: s.slug, status: 401 },
			{ event: "webhook.refused", reason: "inactive", source: off.slug, status: 403 },
			{ event: "webhook.refused", reason: "invalid_body", source: s.slug, status: 422 },
			{ event: "webhook.refused", reason: "rate_limited", source: s.slug, status: 429 },
			{ event: "webhook.refused", reason: "too_large", source: s.slug, status: 413 },
		]);
		const all = lines.join("\n");
		for (const secret of [s.secret, off.secret, s.secret.slice(6), off.secret.slice(6)]) expect(all).not.toContain(secret);
		expect(all).not.toContain(marker);
		expect(all).not.toMatch(/v1,/);
	});

	it("is not written for an accepted message", async () => {
		const s = await createSource();
		const lines: string[] = [];
		vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
			lines.push(JSON.stringify(args));
		});
		const body = JSON.stringify(envelope(incident()));
		expect(await post(s.slug, body, signedHeaders(s.secret, body))).toBe(202);
		vi.restoreAllMocks();
		expect(lines.filter((l) => l.includes("webhook.refused"))).toEqual([]);
	});
});
