// The status is reused for STATUS_CACHE_SECONDS per scope: one page's figures never answer for
// another's, nor for the whole instance, and a page whose tags change is recomputed at once. The
// instance's part (crons, alerts, channels, ingest) is one read a window, shared by every scope.
// The page's row is remembered as long, so a page viewed again costs no D1 round trip; an edit
// through this isolate is seen at once.
import { createExecutionContext, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../worker/app";
import { SWEEP } from "../../worker/cron/jobs";
import { cronRuns } from "../../worker/db/schema";
import type { StatusJson } from "../../worker/status/schema";
import { db } from "../support/db";
import { type FaultPlan, faultyD1 } from "../support/faulty-d1";
import { uniqueSlug } from "../support/http";
import { createPage, createTaggedMilestone } from "../support/pages";

const app = createApp();
const cachedEnv = { ...env, STATUS_CACHE_SECONDS: "60" };
const get = async (path: string): Promise<StatusJson> => {
	const res = await app.fetch(new Request(`https://vigil.test${path}`), cachedEnv, createExecutionContext());
	expect(res.status).toBe(200);
	return res.json();
};
const nextIds = async (path: string) => (await get(path)).milestones.next.map((m) => m.id);

describe("the status memo, per page", () => {
	it("keeps each page's figures apart from the others' and from /status", async () => {
		const [ta, tb] = [uniqueSlug("t"), uniqueSlug("t")];
		const a = await createTaggedMilestone([ta], { due: "2029-01" });
		const b = await createTaggedMilestone([tb], { due: "2029-01" });
		const [pa, pb] = [await createPage({ tags: [ta] }), await createPage({ tags: [tb] })];
		await get("/status");
		expect(await nextIds(`/p/${pa.slug}/status`)).toEqual([a.id]);
		expect(await nextIds(`/p/${pb.slug}/status`)).toEqual([b.id]);
		expect(await nextIds(`/p/${pa.slug}/status`)).toEqual([a.id]);
	});

	it("recomputes a page at once when its tags change", async () => {
		const [ta, tb] = [uniqueSlug("t"), uniqueSlug("t")];
		const a = await createTaggedMilestone([ta], { due: "2029-02" });
		const b = await createTaggedMilestone([tb], { due: "2029-02" });
		const page = await createPage({ tags: [ta] });
		expect(await nextIds(`/p/${page.slug}/status`)).toEqual([a.id]);
		const patch = new Request(`https://vigil.test/api/pages/${page.id}`, {
			method: "PATCH",
			headers: { authorization: `Bearer ${env.ADMIN_TOKEN}`, "content-type": "application/json" },
			body: JSON.stringify({ tags: [tb] }),
		});
		expect((await app.fetch(patch, cachedEnv, createExecutionContext())).status).toBe(200);
		expect(await nextIds(`/p/${page.slug}/status`)).toEqual([b.id]);
	});

	it("shows a new page the instance's crons as /status read them in the window, and its own milestones fresh", async () => {
		const whole = await get("/status");
		const t = uniqueSlug("t");
		const m = await createTaggedMilestone([t], { due: "2029-03" });
		const page = await createPage({ tags: [t] });
		const at = new Date(Date.now() + 1_000);
		await db.insert(cronRuns).values({ cron: SWEEP.cron, job: SWEEP.name, scheduledTime: at, startedAt: at, finishedAt: at });
		const scoped = await get(`/p/${page.slug}/status`);
		expect(scoped.milestones.next.map((n) => n.id)).toEqual([m.id]);
		expect(scoped.cron).toEqual(whole.cron);
	});
});

describe("the page row, per isolate", () => {
	/** A binding that counts round trips, and a fetch through the app with it and a 60-second memo. */
	const counted = () => {
		const plan: FaultPlan = { failAt: 0, calls: 0 };
		const countedEnv = { ...cachedEnv, DB: faultyD1(env.DB, plan) };
		const fetch = (path: string, init: RequestInit & { admin?: boolean; json?: unknown } = {}) => {
			const headers = new Headers(init.headers);
			if (init.admin) headers.set("authorization", `Bearer ${env.ADMIN_TOKEN}`);
			if (init.json !== undefined) headers.set("content-type", "application/json");
			const body = init.json !== undefined ? JSON.stringify(init.json) : init.body;
			return app.fetch(new Request(`https://vigil.test${path}`, { ...init, headers, body }), countedEnv, createExecutionContext());
		};
		return { plan, fetch };
	};
	const roundTrips = async (c: ReturnType<typeof counted>, path: string, init: RequestInit = {}) => {
		c.plan.calls = 0;
		const res = await c.fetch(path, init);
		expect(res.status).toBe(200);
		await res.text();
		return c.plan.calls;
	};

	it("answers a page viewed again in the window without a D1 round trip, and reads it all again for no-cache", async () => {
		const t = uniqueSlug("t");
		await createTaggedMilestone([t], { due: "2029-04" });
		const page = await createPage({ tags: [t] });
		const c = counted();
		expect(await roundTrips(c, `/p/${page.slug}`)).toBeGreaterThan(0);
		expect(await roundTrips(c, `/p/${page.slug}`)).toBe(0);
		expect(await roundTrips(c, `/p/${page.slug}/status`)).toBe(0);
		expect(await roundTrips(c, `/p/${page.slug}`, { headers: { "cache-control": "no-cache" } })).toBeGreaterThan(0);
	});

	it("sees an edit, a page made private and a deletion through this isolate at once", async () => {
		const page = await createPage({ title: "Before" });
		const c = counted();
		expect(await (await c.fetch(`/p/${page.slug}`)).text()).toContain("Before");
		expect((await c.fetch(`/api/pages/${page.id}`, { method: "PATCH", admin: true, json: { title: "After" } })).status).toBe(200);
		expect(await (await c.fetch(`/p/${page.slug}`)).text()).toContain("After");
		expect((await c.fetch(`/api/pages/${page.id}`, { method: "PATCH", admin: true, json: { visibility: "private" } })).status).toBe(200);
		expect((await c.fetch(`/p/${page.slug}`)).status).toBe(401);
		expect((await c.fetch(`/p/${page.slug}/status`, { admin: true })).status).toBe(200);
		expect((await c.fetch(`/api/pages/${page.id}`, { method: "DELETE", admin: true })).status).toBe(204);
		expect((await c.fetch(`/p/${page.slug}/status`, { admin: true })).status).toBe(404);
	});

	it("does not remember a slug that names no page: the page made next answers at once", async () => {
		const slug = uniqueSlug("p");
		const c = counted();
		expect((await c.fetch(`/p/${slug}`)).status).toBe(404);
		expect((await c.fetch("/api/pages", { method: "POST", admin: true, json: { slug, title: "Made after a 404" } })).status).toBe(201);
		expect(await (await c.fetch(`/p/${slug}`)).text()).toContain("Made after a 404");
	});
});
