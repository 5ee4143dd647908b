import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { sources } from "../../worker/db/schema";
import { decryptSecret } from "../../worker/sources/secrets";
import { db } from "../support/db";
import { call, problem, uniqueSlug } from "../support/http";
import { createSource, deliver, envelope, incident } from "../support/intake";

describe("/api/sources", () => {
	afterEach(() => vi.useRealTimers());

	it("creates a source whose whsec_ secret is shown once and stored only encrypted", async () => {
		const slug = uniqueSlug("src");
		const res = await call("/api/sources", { method: "POST", admin: true, json: { slug, name: "Newsroom" } });
		expect(res.status).toBe(201);
		const body = (await res.json()) as { id: number; secret: string; webhook_url: string };
		expect(body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
		expect(body.webhook_url).toBe(`https://vigil.test/webhooks/${slug}`);

		const [row] = await db.select().from(sources).where(eq(sources.id, body.id));
		expect(row?.secretEnc).not.toContain(body.secret.slice(6));
		expect(await decryptSecret(env.SECRETS_KEY ?? null, row?.secretEnc ?? "")).toBe(body.secret);

		const listed = await (await call("/api/sources?limit=200", { admin: true })).text();
		const single = await (await call(`/api/sources/${slug}`, { admin: true })).text();
		for (const text of [listed, single]) {
			expect(text).not.toContain(body.secret);
			expect(text).not.toContain("secret_enc");
			expect(text).not.toContain(row?.secretEnc ?? "-");
		}
	});

	it("needs the admin token, refuses a taken slug and bad input, writing nothing", async () => {
		await problem(await call("/api/sources", { method: "POST", json: { slug: uniqueSlug(), name: "x" } }), 401);
		const s = await createSource();
		await problem(await call("/api/sources", { method: "POST", admin: true, json: { slug: s.slug, name: "again" } }), 409);
		await problem(await call("/api/sources", { method: "POST", admin: true, json: { slug: "Bad Slug", name: "x" } }), 422);
		const digits = await problem(await call("/api/sources", { method: "POST", admin: true, json: { slug: "42", name: "x" } }), 422);
		expect(digits.errors).toEqual([{ path: "/slug", message: expect.stringMatching(/letter/) }]);
		await problem(await call("/api/sources", { admin: true, method: "POST", json: { slug: uniqueSlug(), name: "x", secret: "mine" } }), 422);
		const rows = await db.select().from(sources).where(eq(sources.slug, s.slug));
		expect(rows).toHaveLength(1);
	});

	it("rotates: the new secret works at once, the old one for 24 hours only", async () => {
		const s = await createSource();
		vi.useFakeTimers({ toFake: ["Date"] });
		const rotatedAt = Date.now();
		const res = await call(`/api/sources/${s.id}/rotate`, { method: "POST", admin: true, json: {} });
		vi.useRealTimers();
		expect(res.status).toBe(200);
		const { secret, previous_secret_expires_at } = (await res.json()) as { secret: string; previous_secret_expires_at: string };
		expect(secret).not.toBe(s.secret);
		expect(previous_secret_expires_at).toBe(new Date(rotatedAt + 24 * 3_600_000).toISOString());

		expect((await deliver(s.slug, secret, envelope(incident()))).status).toBe(202);
		expect((await deliver(s.slug, s.secret, envelope(incident()))).status).toBe(202);

		// Past the grace period the old secret no longer verifies.
		await db
			.update(sources)
			.set({ previousExpiresAt: new Date(Date.now() - 1000) })
			.where(eq(sources.id, s.id));
		await problem(await deliver(s.slug, s.secret, envelope(incident())), 401);
		expect((await deliver(s.slug, secret, envelope(incident()))).status).toBe(202);
	});

	it("deactivates and reactivates", async () => {
		const s = await createSource();
		const off = (await (await call(`/api/sources/${s.slug}`, { method: "PATCH", admin: true, json: { active: false } })).json()) as { active: boolean };
		expect(off.active).toBe(false);
		await problem(await deliver(s.slug, s.secret, envelope(incident())), 403);
		await call(`/api/sources/${s.slug}`, { method: "PATCH", admin: true, json: { active: true } });
		expect((await deliver(s.slug, s.secret, envelope(incident()))).status).toBe(202);
	});
});
