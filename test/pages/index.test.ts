// `/` stays the whole picture and lists the public pages with a one-line state each, in a number
// of D1 round trips that does not grow with the number of pages.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import worker from "../../worker/index";
import type { StatusJson } from "../../worker/status/schema";
import { type FaultPlan, faultyD1 } from "../support/faulty-d1";
import { call, fire, uniqueSlug } from "../support/http";
import { insertIncident, insertSource, insertZone } from "../support/incident-rows";
import { createPage, createTaggedMilestone } from "../support/pages";

const NOW = new Date("2031-01-01T00:00:00Z");
const HOUR = 3_600_000;

/** `/` through the Worker's entry with a D1 binding that counts round trips (and never fails). */
async function roundTripsOfIndex(): Promise<number> {
	const plan: FaultPlan = { failAt: 0, calls: 0 };
	const ctx = createExecutionContext();
	const res = await worker.fetch(new Request("https://vigil.test/"), { ...env, DB: faultyD1(env.DB, plan) }, ctx);
	await waitOnExecutionContext(ctx);
	expect(res.status).toBe(200);
	await res.text();
	return plan.calls;
}

/** The text of a page's line in the list on `/`, tags stripped. */
function situationLine(html: string, slug: string): string | undefined {
	const line = [...html.matchAll(/<li data-situation="([^"]+)">([\s\S]*?)<\/li>/g)].find((m) => m[1] === slug)?.[2];
	return line
		?.replace(/<[^>]+>/g, "")
		.replace(/\s+/g, " ")
		.trim();
}

describe("GET / lists the public pages", () => {
	beforeEach(() => {
		vi.useFakeTimers({ toFake: ["Date"] });
		vi.setSystemTime(NOW);
	});
	afterEach(() => vi.useRealTimers());

	it("with a one-line state each: next milestone, overdue count, incidents in 7 days", async () => {
		const tag = uniqueSlug("t");
		await createTaggedMilestone([tag], { title: "Later one", due: "2031-09" });
		await createTaggedMilestone([tag], { title: "Next one", due: "2031-03-01", timezone: "UTC" });
		await createTaggedMilestone([tag], { title: "Late one", due: "2030-10" });
		const [zone, source] = await Promise.all([insertZone("Counted"), insertSource()]);
		for (const hoursAgo of [1, 30, 100]) await insertIncident(source.id, { occurredAt: new Date(NOW.getTime() - hoursAgo * HOUR), zoneId: zone.id });
		await insertIncident(source.id, { occurredAt: new Date(NOW.getTime() - 9 * 24 * HOUR), zoneId: zone.id });
		const title = `Situation ${uniqueSlug()}`;
		const page = await createPage({ title, tags: [tag], zones: [zone.slug] });
		const lateTag = uniqueSlug("t");
		await createTaggedMilestone([lateTag], { due: "2030-11" });
		const quietZone = await insertZone("Quiet");
		const quiet = await createPage({ title: "Quiet", tags: [lateTag], zones: [quietZone.slug] });
		const html = await (await call("/")).text();
		expect(situationLine(html, page.slug)).toBe(`${title}: next Next one, by 1 March 2031 (in 60 days); 1 overdue; 3 incidents in 7 days`);
		expect(situationLine(html, quiet.slug)).toBe("Quiet: nothing scheduled ahead; 1 overdue; 0 incidents in 7 days");
	});

	it("in as many D1 round trips with five more pages as without them", async () => {
		const before = await roundTripsOfIndex();
		const tag = uniqueSlug("t");
		await createTaggedMilestone([tag]);
		const zone = await insertZone();
		for (let i = 0; i < 5; i++) await createPage({ tags: i % 2 ? [tag] : [], zones: i % 3 ? [zone.slug] : [] });
		expect(await roundTripsOfIndex()).toBe(before);
	});
});

describe("a page's overall status", () => {
	beforeEach(() => {
		vi.useFakeTimers({ toFake: ["Date"] });
		vi.setSystemTime(NOW);
	});
	afterEach(() => vi.useRealTimers());

	it("is degraded when one of its deadlines is overdue, and says so in one line, in JSON and on the page", async () => {
		await fire("* * * * *", NOW); // the sweep has just run: no cron is stale
		const [late, onTime] = [uniqueSlug("t"), uniqueSlug("t")];
		await createTaggedMilestone([late], { due: "2030-10", kind: "deadline" });
		await createTaggedMilestone([onTime], { due: "2031-10", kind: "deadline" });
		const degraded = await createPage({ tags: [late] });
		const fine = await createPage({ tags: [onTime] });
		const s = await (await call(`/p/${degraded.slug}/status`)).json();
		expect(s).toMatchObject({ status: "degraded", reason: "1 deadline is overdue" });
		expect(await (await call(`/p/${fine.slug}/status`)).json()).toMatchObject({ status: "ok", reason: null });
		const html = await (await call(`/p/${degraded.slug}`)).text();
		expect(html).toContain('<p class="degraded" data-reason="">1 deadline is overdue</p>');
		// The whole instance is judged on its own health: an overdue deadline is the situation's, not Vigil's.
		expect(await (await call("/status")).json()).toMatchObject({ status: "ok", reason: null });
	});

	it("is degraded, with the reason, when a cron is stale", async () => {
		const page = await createPage();
		vi.setSystemTime(new Date(NOW.getTime() + 60 * 60_000));
		const s = (await (await call(`/p/${page.slug}/status`)).json()) as StatusJson;
		expect(s.status).toBe("degraded");
		expect(s.reason).toMatch(/the sweep cron is stale/);
	});

	it("is not degraded by an event past its day (only deadlines count)", async () => {
		await fire("* * * * *", NOW);
		const tag = uniqueSlug("t");
		await createTaggedMilestone([tag], { due: "2030-11-11", kind: "event" });
		const page = await createPage({ tags: [tag] });
		const s = await (await call(`/p/${page.slug}/status`)).json();
		expect(s).toMatchObject({ status: "ok", reason: null, milestones: { overdue: 0, awaiting_outcome: 1 } });
	});
});
