// The status is reused for STATUS_CACHE_SECONDS per scope: one page's figures never answer for
// another's, nor for the whole instance, and a page whose tags change is recomputed at once. The
// instance's part (crons, alerts, channels, ingest) is one read a window, shared by every scope.
import { createExecutionContext, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../worker/app";
import { SWEEP } from "../../worker/cron/jobs";
import { cronRuns } from "../../worker/db/schema";
import type { StatusJson } from "../../worker/status/schema";
import { db } from "../support/db";
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
