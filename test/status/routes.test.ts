import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { alerts, type incidents } from "../../worker/db/schema";
import { JOBS } from "../../worker/scheduled";
import type { StatusJson } from "../../worker/status/schema";
import { db } from "../support/db";
import { call, fire, problem, uniqueSlug } from "../support/http";
import { insertIncident, insertSource, insertZone } from "../support/incident-rows";

const NOW = new Date("2025-09-01T00:00:00Z");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function milestone(body: Record<string, unknown>) {
	const res = await call("/api/milestones", { method: "POST", admin: true, json: { slug: uniqueSlug(), ...body } });
	expect(res.status).toBe(201);
	return (await res.json()) as { id: number; slug: string };
}

async function status(): Promise<StatusJson> {
	const res = await call("/status");
	expect(res.status).toBe(200);
	return res.json();
}

describe("status", () => {
	beforeEach(() => {
		vi.useFakeTimers({ toFake: ["Date"] });
		vi.setSystemTime(NOW);
	});
	afterEach(() => vi.useRealTimers());

	it("shows the next milestones with time left, overdue ones and recent slips", async () => {
		// The overdue count covers every milestone in the file that is past due: this test adds exactly one.
		const { overdue } = (await status()).milestones;
		const soon = await milestone({ title: "Coalition leaves Ain al-Asad", due: "2025-09", timezone: "Asia/Baghdad" });
		const late = await milestone({ title: "Missed handover", due: "2025-08-15", timezone: "UTC" });
		await call(`/api/milestones/${soon.id}`, { method: "PATCH", admin: true, json: { due: "2025-09", title: "Coalition leaves Ain al-Asad (phase 1)" } });
		const slipped = await milestone({ title: "Drawdown in Erbil", due: "2025-12" });
		await call(`/api/milestones/${slipped.id}`, { method: "PATCH", admin: true, json: { due: "2026-09", reason: "extended" } });

		const s = await status();
		expect(s.now).toBe(NOW.toISOString());
		const next = s.milestones.next.find((m) => m.id === soon.id);
		expect(next).toMatchObject({
			due_label: "by September 2025",
			due_at: "2025-09-30T21:00:00.000Z",
			seconds_left: 29 * 86400 + 21 * 3600,
			time_left: "in 29 days 21 hours",
		});
		expect(s.milestones.overdue).toBe(overdue + 1);
		expect(s.milestones.overdue_items.map((m) => m.id)).toContain(late.id);
		expect(s.milestones.recent_slips).toContainEqual(
			expect.objectContaining({ milestone_id: slipped.id, from_due: "2025-12", to_due: "2026-09", reason: "extended" }),
		);
	});

	it("counts the last 24 hours' and 7 days' incidents by zone, without rejected or retracted ones, with the verified share", async () => {
		// A week no other test in this file writes incidents into.
		const now = Date.parse("2037-05-20T12:00:00Z");
		vi.setSystemTime(now);
		const [zone, source] = await Promise.all([insertZone("Status window"), insertSource()]);
		const add = (hoursAgo: number, over: Partial<typeof incidents.$inferInsert> = {}) =>
			insertIncident(source.id, { occurredAt: new Date(now - hoursAgo * HOUR), zoneId: zone.id, ...over });
		await add(1);
		await add(2, { verification: "unverified" });
		await add(30);
		await add(3, { verification: "rejected" });
		await add(4, { retractedAt: new Date(now - HOUR) });
		await add(8 * 24);
		await add(-1);
		await add(5, { zoneId: null, verification: "unverified" });

		expect((await status()).incidents).toEqual({
			last_24h: 3,
			last_7d: 4,
			verified_share: 0.5,
			by_zone: [
				{ zone: zone.slug, name: "Status window", name_i18n: null, last_24h: 2, last_7d: 3 },
				{ zone: null, name: null, name_i18n: null, last_24h: 1, last_7d: 1 },
			],
		});
	});

	it("counts pending alerts, and alerts that failed in the last 7 days", async () => {
		// The queue figures cover the whole ledger (pending at any time, failed from a week back on):
		// this test adds one of each that counts, one of each that does not, and compares.
		const now = Date.parse("2024-03-01T00:00:00Z");
		vi.setSystemTime(now);
		const before = (await status()).alerts;
		const row = (status: "pending" | "sent" | "failed", nextAttemptAt: number) => ({
			kind: "digest" as const,
			recipient: `${uniqueSlug("queue")}@example.org`,
			dedupeKey: uniqueSlug("queue"),
			status,
			nextAttemptAt: new Date(nextAttemptAt),
		});
		await db.insert(alerts).values([
			// Waiting out a backoff that no sweep in this file reaches.
			row("pending", Date.parse("2099-01-01T00:00:00Z")),
			row("failed", now - HOUR),
			row("failed", now - 8 * DAY),
			{ ...row("sent", now - 2 * HOUR), sentAt: new Date(now - 2 * HOUR) },
		]);
		expect((await status()).alerts).toMatchObject({ pending: before.pending + 1, failed: before.failed + 1 });
	});

	// /status reads each job's last run and the first run ever from the whole cron_runs table: this
	// is the one test in this file that fires a cron (test/cron/ covers how runs are recorded).
	it("reports the crons stale (degraded) until they have run, and fresh after", async () => {
		const before = await status();
		expect(before.cron.stale).toBe(true);
		expect(before.status).toBe("degraded");
		// Only the sweep has run: the daily digest is not due yet, so it is not stale either.
		await fire("* * * * *", NOW);
		const after = await status();
		expect(after.cron).toMatchObject({ stale: false, last_run_at: NOW.toISOString() });
		expect(after.cron.jobs.find((j) => j.job === "digest")).toMatchObject({ last_run_at: null, stale: false });
		expect(after.status).toBe("ok");
		for (const job of JOBS) await fire(job.cron, NOW);
		// Twenty-one minutes later the minutely sweep has missed more than ten minutes of runs: stale again.
		vi.setSystemTime(new Date(NOW.getTime() + 21 * 60_000));
		const later = await status();
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
		expect(html).toContain('<html lang="en" dir="ltr">');
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
