import { env } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SCHEDULES as JOBS } from "../../worker/cron/jobs";
import type { StatusJson } from "../../worker/status/schema";
import { call, fire, problem, uniqueSlug } from "../support/http";

const NOW = new Date("2025-09-01T00:00:00Z");

async function milestone(body: Record<string, unknown>) {
	const res = await call("/api/milestones", { method: "POST", admin: true, json: { slug: uniqueSlug(), ...body } });
	expect(res.status).toBe(201);
	return (await res.json()) as { id: number; slug: string };
}

describe("status", () => {
	beforeEach(() => {
		vi.useFakeTimers({ toFake: ["Date"] });
		vi.setSystemTime(NOW);
	});
	afterEach(() => vi.useRealTimers());

	it("shows the next milestones with time left, overdue ones and recent slips", async () => {
		const soon = await milestone({ title: "Coalition leaves Ain al-Asad", due: "2025-09", timezone: "Asia/Baghdad" });
		const late = await milestone({ title: "Missed handover", due: "2025-08-15", timezone: "UTC" });
		await call(`/api/milestones/${soon.id}`, { method: "PATCH", admin: true, json: { due: "2025-09", title: "Coalition leaves Ain al-Asad (phase 1)" } });
		const slipped = await milestone({ title: "Drawdown in Erbil", due: "2025-12" });
		await call(`/api/milestones/${slipped.id}`, { method: "PATCH", admin: true, json: { due: "2026-09", reason: "extended" } });

		const res = await call("/status");
		expect(res.status).toBe(200);
		const s: StatusJson = await res.json();
		expect(s.now).toBe(NOW.toISOString());
		const next = s.milestones.next.find((m) => m.id === soon.id);
		expect(next).toMatchObject({
			due_label: "by September 2025",
			due_at: "2025-09-30T21:00:00.000Z",
			seconds_left: 29 * 86400 + 21 * 3600,
			time_left: "in 29 days 21 hours",
		});
		expect(s.milestones.overdue).toBeGreaterThanOrEqual(1);
		expect(s.milestones.overdue_items.map((m) => m.id)).toContain(late.id);
		expect(s.milestones.recent_slips).toContainEqual(
			expect.objectContaining({ milestone_id: slipped.id, from_due: "2025-12", to_due: "2026-09", reason: "extended" }),
		);
		expect(s.incidents).toMatchObject({ last_24h: expect.any(Number), last_7d: expect.any(Number) });
		expect(s.alerts).toMatchObject({ pending: expect.any(Number), failed: expect.any(Number) });
	});

	it("reports the crons stale (degraded) until they have run, and fresh after", async () => {
		const before: StatusJson = await (await call("/status")).json();
		expect(before.cron.stale).toBe(true);
		expect(before.status).toBe("degraded");
		// Only the sweep has run: the daily digest is not due yet, so it is not stale either.
		await fire("*/10 * * * *", NOW);
		const after: StatusJson = await (await call("/status")).json();
		expect(after.cron).toMatchObject({ stale: false, last_run_at: NOW.toISOString() });
		expect(after.cron.jobs.find((j) => j.job === "digest")).toMatchObject({ last_run_at: null, stale: false });
		expect(after.status).toBe("ok");
		for (const job of JOBS) await fire(job.cron, NOW);
		// Twenty-one minutes later the 10-minute sweep has missed two runs: stale again.
		vi.setSystemTime(new Date(NOW.getTime() + 21 * 60_000));
		const later: StatusJson = await (await call("/status")).json();
		expect(later.cron.jobs.find((j) => j.job === "sweep")?.stale).toBe(true);
		expect(later.cron.jobs.find((j) => j.job === "digest")?.stale).toBe(false);
		expect(later.status).toBe("degraded");
	});

	it("renders the same on the HTML page, escaping user text", async () => {
		await milestone({ title: "<script>alert(1)</script> & co", due: "2025-10", kind: "event" });
		const res = await call("/");
		expect(res.status).toBe(200);
		expect(res.headers.get("content-type")).toMatch(/^text\/html/);
		const html = await res.text();
		expect(html).toContain('<html lang="en">');
		expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co");
		expect(html).not.toContain("<script>alert(1)</script>");
		expect(html).toContain("in October 2025");
	});

	it("answers healthz after one D1 query", async () => {
		expect(await (await call("/healthz")).json()).toEqual({ ok: true });
	});

	it("answers unknown paths with a problem+json 404", async () => {
		await problem(await call("/nope"), 404);
	});
});

describe("scheduled()", () => {
	it("records each run with its job, times and counts", async () => {
		const at = new Date("2025-09-02T06:00:00Z");
		await fire("0 6 * * *", at);
		const row = await env.DB.prepare(
			"SELECT job, cron, scheduled_time, started_at, finished_at, error FROM cron_runs WHERE scheduled_time = ? AND job = 'digest'",
		)
			.bind(at.getTime())
			.first();
		expect(row).toMatchObject({ job: "digest", cron: "0 6 * * *", scheduled_time: at.getTime(), error: null });
		expect(row?.finished_at).toEqual(expect.any(Number));
	});

	it("records an unknown cron as a failed run instead of throwing", async () => {
		const at = new Date("2025-09-03T00:00:00Z");
		await fire("5 4 * * *", at);
		const row = await env.DB.prepare("SELECT job, error FROM cron_runs WHERE scheduled_time = ?").bind(at.getTime()).first<{ job: string; error: string }>();
		expect(row?.job).toBe("unknown");
		expect(row?.error).toContain("no job");
	});

	it("has a job for every cron in wrangler.toml, and no job without one", () => {
		expect([...env.WRANGLER_CRONS].sort()).toEqual(JOBS.map((j) => j.cron).sort());
	});
});
