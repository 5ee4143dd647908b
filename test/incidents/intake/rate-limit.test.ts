// The per-source rate limit on the webhook: 429 with Retry-After when the binding refuses,
// counted only for signed messages, and the binding wrangler.toml declares simulated in workerd.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createApp } from "../../../worker/app";
import { incidents } from "../../../worker/db/schema";
import { db } from "../../support/db";
import { problem } from "../../support/http";
import { createSource, envelope, incident, msgId, signedHeaders } from "../../support/intake";
import { timeoutFor } from "../../support/runs";

describe("rate limiting per source", () => {
	/** A signed webhook request, handed to the app directly with an env of the test's own. */
	function signedRequest(slug: string, secret: string) {
		const body = JSON.stringify(envelope(incident()));
		return new Request(`https://vigil.test/webhooks/${slug}`, {
			method: "POST",
			body,
			headers: { "content-type": "application/json", ...signedHeaders(secret, body) },
		});
	}

	it("answers 429 with Retry-After when the binding refuses, writing nothing; keys are per source", async () => {
		const s = await createSource();
		const keys: string[] = [];
		const refusing = {
			...env,
			WEBHOOK_LIMITER: {
				limit: async ({ key }: { key: string }) => {
					keys.push(key);
					return { success: false };
				},
			},
		};
		const ctx = createExecutionContext();
		const res = await createApp().fetch(signedRequest(s.slug, s.secret), refusing, ctx);
		await waitOnExecutionContext(ctx);
		expect((await problem(res, 429)).status).toBe(429);
		expect(res.headers.get("retry-after")).toBe("60");
		expect(keys).toEqual([`source:${s.id}`]);
		expect(await db.select().from(incidents).where(eq(incidents.sourceId, s.id))).toEqual([]);
	});

	it("does not count unsigned messages, and works when the binding is absent", async () => {
		const s = await createSource();
		let calls = 0;
		const counting = {
			...env,
			WEBHOOK_LIMITER: {
				limit: async () => {
					calls++;
					return { success: true };
				},
			},
		};
		const unsigned = new Request(`https://vigil.test/webhooks/${s.slug}`, { method: "POST", body: "{}", headers: { "content-type": "application/json" } });
		await problem(await createApp().fetch(unsigned, counting, createExecutionContext()), 401);
		expect(calls).toBe(0);
		const { WEBHOOK_LIMITER: _, ...withoutLimiter } = env;
		expect((await createApp().fetch(signedRequest(s.slug, s.secret), withoutLimiter, createExecutionContext())).status).toBe(202);
	});

	// Up to 1,202 calls to the limiter: a few milliseconds each, more on a loaded machine.
	it("has the binding from wrangler.toml simulated in workerd: 600 a minute per key, then refused", { timeout: timeoutFor(1202, 20) }, async () => {
		const limiter = env.WEBHOOK_LIMITER;
		if (!limiter) throw new Error("WEBHOOK_LIMITER binding missing");
		const key = `probe-${msgId()}`;
		// The window is a fixed minute, so a run may straddle a boundary: allow two windows' worth.
		const outcomes: boolean[] = [];
		for (let i = 0; i < 1202 && !outcomes.includes(false); i++) outcomes.push((await limiter.limit({ key })).success);
		const firstRefusal = outcomes.indexOf(false);
		expect(firstRefusal).toBeGreaterThanOrEqual(600);
		expect(firstRefusal).toBeLessThanOrEqual(1200);
		expect((await limiter.limit({ key: `${key}-other` })).success).toBe(true);
	});
});
