import { createExecutionContext, env } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../../worker/app";
import type { StatusJson } from "../../worker/status/schema";
import { brokenD1 } from "../support/faulty-d1";
import { uniqueSlug } from "../support/http";

const app = createApp();
const cachedEnv = { ...env, STATUS_CACHE_SECONDS: "5" };
const call = (path: string, init: RequestInit = {}) => app.fetch(new Request(`https://vigil.test${path}`, init), cachedEnv, createExecutionContext());
const admin = { authorization: `Bearer ${env.ADMIN_TOKEN}`, "content-type": "application/json" };
const T0 = new Date("2031-01-01T00:00:00Z");

async function addMilestone(title: string) {
	const res = await call("/api/milestones", { method: "POST", headers: admin, body: JSON.stringify({ title, due: "2031-06", slug: uniqueSlug() }) });
	expect(res.status).toBe(201);
}
const titles = async (init: RequestInit = {}) => {
	const res = await call("/status", init);
	return { age: res.headers.get("age"), titles: ((await res.json()) as StatusJson).milestones.next.map((m) => m.title) };
};

describe("/status reuse within STATUS_CACHE_SECONDS", () => {
	beforeEach(() => {
		vi.useFakeTimers({ toFake: ["Date"] });
		vi.setSystemTime(T0);
	});
	afterEach(() => vi.useRealTimers());

	it("answers from the last computation for a few seconds, says how old it is, and recomputes after", async () => {
		await addMilestone("first");
		expect((await titles()).titles).toContain("first");
		await addMilestone("second");
		vi.setSystemTime(new Date(T0.getTime() + 3000));
		const reused = await titles();
		expect(reused.titles).not.toContain("second");
		expect(reused.age).toBe("3");
		vi.setSystemTime(new Date(T0.getTime() + 5001));
		const fresh = await titles();
		expect(fresh.titles).toContain("second");
		expect(fresh.age).toBe("0");
	});

	it("recomputes at once for a client that sends Cache-Control: no-cache", async () => {
		await titles();
		await addMilestone("third");
		expect((await titles()).titles).not.toContain("third");
		expect((await titles({ headers: { "cache-control": "no-cache" } })).titles).toContain("third");
	});

	it("never reuses a failure: the next request after a D1 outage tries again", async () => {
		let down = true;
		const flaky = brokenD1(
			env.DB,
			() => new Error("D1_ERROR: Network connection lost."),
			() => down,
		);
		const flakyEnv = { ...cachedEnv, DB: flaky };
		const get = () => app.fetch(new Request("https://vigil.test/status"), flakyEnv, createExecutionContext());
		expect((await get()).status).toBe(503);
		down = false;
		expect((await get()).status).toBe(200);
	});
});
