// cron_runs keeps 7 days of runs plus each job's last failure, pruned by the sweep once an hour.
import { env } from "cloudflare:test";
import { inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { CRON_HISTORY_MS, pruneCronRuns } from "../../worker/cron/history";
import { SWEEP } from "../../worker/cron/jobs";
import { cronRuns } from "../../worker/db/schema";
import { runScheduled } from "../../worker/scheduled";
import { db } from "../support/db";
import { FakeEmail } from "../support/fake-email";

const DAY = 86_400_000;
const MIN = 60_000;

/** Inserts one run per spec (job, started `ago` ms before `now`, failed or not); answers their ids in order. */
async function runs(now: number, specs: { job: string; ago: number; error?: string }[]) {
	const rows = await db
		.insert(cronRuns)
		.values(
			specs.map((s) => ({
				cron: "test",
				job: s.job,
				scheduledTime: new Date(now - s.ago),
				startedAt: new Date(now - s.ago),
				finishedAt: new Date(now - s.ago),
				error: s.error ?? null,
			})),
		)
		.returning({ id: cronRuns.id });
	return rows.map((r) => r.id);
}

const kept = async (ids: number[]) =>
	(await db.select({ id: cronRuns.id }).from(cronRuns).where(inArray(cronRuns.id, ids))).map((r) => r.id).sort((a, b) => a - b);

describe("cron history", () => {
	// The first test of the file, so every row older than the window is one of its own: the count is exact.
	it("deletes runs older than 7 days except each job's last failure", async () => {
		const now = Date.UTC(2001, 0, 10);
		const ids = await runs(now, [
			{ job: "a", ago: CRON_HISTORY_MS + DAY, error: "first failure" },
			{ job: "a", ago: CRON_HISTORY_MS + 2 * MIN },
			{ job: "a", ago: CRON_HISTORY_MS + MIN, error: "last failure of a" },
			{ job: "a", ago: CRON_HISTORY_MS + 1 },
			{ job: "a", ago: CRON_HISTORY_MS - 1 },
			{ job: "b", ago: CRON_HISTORY_MS + DAY, error: "old failure of b" },
			{ job: "b", ago: MIN, error: "recent failure of b" },
			{ job: "b", ago: 0 },
		]);
		expect(await pruneCronRuns(db, new Date(now))).toBe(4);
		const [, , lastOfA, , recentA, , recentFailureOfB, lastB] = ids as [number, number, number, number, number, number, number, number];
		expect(await kept(ids)).toEqual([lastOfA, recentA, recentFailureOfB, lastB]);
		expect(await pruneCronRuns(db, new Date(now))).toBe(0);
	});

	it("is pruned by the sweep that opens an hour, not by the others", async () => {
		// Before every other row of this file: the one run it can prune is its own.
		const hour = Date.UTC(2000, 5, 1, 12);
		const [old] = await runs(hour, [{ job: "c", ago: CRON_HISTORY_MS + DAY }]);
		const bindings = { ...env, EMAIL: new FakeEmail() };
		await runScheduled({ cron: SWEEP.cron, scheduledTime: hour - 30 * MIN }, bindings, new Date(hour - 30 * MIN));
		expect(await kept([old ?? 0])).toEqual([old]);
		await runScheduled({ cron: SWEEP.cron, scheduledTime: hour }, bindings, new Date(hour + 2_000));
		expect(await kept([old ?? 0])).toEqual([]);
		const last = await db.query.cronRuns.findFirst({ where: (r, { eq }) => eq(r.scheduledTime, new Date(hour)) });
		expect(last?.counts).toMatchObject({ cron_runs_pruned: 1 });
	});
});
