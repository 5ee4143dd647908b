import { env } from "cloudflare:test";
import { Cron } from "croner";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { isStale, SCHEDULES } from "../../worker/cron/jobs";
import { JOBS, runScheduled } from "../../worker/scheduled";
import { fire } from "../support/http";
import { propertyRuns } from "../support/runs";

const t = (iso: string) => new Date(iso);
const TEN_MINUTES = 600_000;
const DAY = 86_400_000;

describe("cron jobs", () => {
	it("declare the interval their expression fires at, at any point of the year", () => {
		fc.assert(
			fc.property(fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2035, 0, 1) }), (from) => {
				for (const job of JOBS) {
					const [a, b] = new Cron(job.cron, { timezone: "UTC" }).nextRuns(2, new Date(from));
					expect((b?.getTime() ?? 0) - (a?.getTime() ?? 0), job.name).toBe(job.intervalMs);
				}
			}),
			{ numRuns: propertyRuns(50) },
		);
	});
});

describe("cron staleness", () => {
	it("is stale after two missed intervals, not before", () => {
		const last = t("2025-09-01T00:00:00Z");
		expect(isStale(TEN_MINUTES, last, last, t("2025-09-01T00:20:00Z"))).toBe(false);
		expect(isStale(TEN_MINUTES, last, last, t("2025-09-01T00:20:01Z"))).toBe(true);
	});

	it("gives a job that fires every minute ten minutes before it is stale: triggers can start late", () => {
		const last = t("2025-09-01T00:00:00Z");
		expect(isStale(60_000, last, last, t("2025-09-01T00:03:00Z"))).toBe(false);
		expect(isStale(60_000, last, last, t("2025-09-01T00:10:00Z"))).toBe(false);
		expect(isStale(60_000, last, last, t("2025-09-01T00:10:01Z"))).toBe(true);
	});

	it("treats a job that never ran as stale only once crons have fired for two of its intervals", () => {
		const first = t("2025-09-01T00:00:00Z");
		expect(isStale(DAY, null, null, first)).toBe(true);
		expect(isStale(DAY, null, first, t("2025-09-02T12:00:00Z"))).toBe(false);
		expect(isStale(DAY, null, first, t("2025-09-03T00:00:01Z"))).toBe(true);
	});

	it("never calls a run that just happened stale", () => {
		fc.assert(
			fc.property(fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }), fc.integer({ min: 0, max: 2 * TEN_MINUTES }), (start, elapsed) => {
				expect(isStale(TEN_MINUTES, new Date(start), new Date(start), new Date(start + elapsed))).toBe(false);
			}),
		);
	});
});

describe("scheduled()", () => {
	/** The trigger fires a few seconds after its scheduled time; the clock stands still during the run. */
	const LATE_MS = 7_000;
	beforeEach(() => vi.useFakeTimers({ toFake: ["Date"] }));
	afterEach(() => vi.useRealTimers());

	const runAt = (scheduledTime: Date) =>
		env.DB.prepare("SELECT job, cron, scheduled_time, started_at, finished_at, counts, error FROM cron_runs WHERE scheduled_time = ?")
			.bind(scheduledTime.getTime())
			.all();

	it("records each run with its job, times and counts", async () => {
		const at = new Date("2025-09-02T06:00:00Z");
		vi.setSystemTime(at.getTime() + LATE_MS);
		await fire("0 6 * * *", at);
		const { results } = await runAt(at);
		expect(results).toEqual([
			{
				job: "digest",
				cron: "0 6 * * *",
				scheduled_time: at.getTime(),
				started_at: at.getTime() + LATE_MS,
				finished_at: at.getTime() + LATE_MS,
				counts: expect.any(String),
				error: null,
			},
		]);
		// What the digest counted depends on every subscriber in this file; which counts it reports does not.
		expect(Object.keys(JSON.parse(String(results[0]?.counts))).sort()).toEqual([
			"deferred",
			"digests_planned",
			"emails",
			"failed",
			"messages",
			"retrying",
			"sent",
		]);
	});

	it("records an unknown cron as a failed run instead of throwing", async () => {
		const at = new Date("2025-09-03T00:00:00Z");
		vi.setSystemTime(at.getTime() + LATE_MS);
		await fire("5 4 * * *", at);
		expect((await runAt(at)).results).toEqual([
			{
				job: "unknown",
				cron: "5 4 * * *",
				scheduled_time: at.getTime(),
				started_at: at.getTime() + LATE_MS,
				finished_at: at.getTime() + LATE_MS,
				counts: null,
				error: 'Error: no job is scheduled on "5 4 * * *"',
			},
		]);
	});

	/** The `cron_run` entries logged while `during` runs: each one object, made only of JSON values. */
	async function cronLogLines(during: () => Promise<void>): Promise<Record<string, unknown>[]> {
		const log = vi.spyOn(console, "log").mockImplementation(() => {});
		try {
			await during();
			const entries = log.mock.calls.filter(([first]) => typeof first === "object" && first !== null && "event" in first && first.event === "cron_run");
			for (const args of entries) expect(args).toHaveLength(1);
			return entries.map(([entry]) => JSON.parse(JSON.stringify(entry)));
		} finally {
			log.mockRestore();
		}
	}

	it("logs one JSON line per run: job, cron, instants, duration, outcome and the job's counts", async () => {
		const at = new Date("2025-09-04T06:00:00Z");
		vi.setSystemTime(at.getTime() + LATE_MS);
		const lines = await cronLogLines(() => fire("0 6 * * *", at));
		expect(lines).toEqual([
			{
				event: "cron_run",
				job: "digest",
				cron: "0 6 * * *",
				scheduled_time: at.toISOString(),
				started_at: new Date(at.getTime() + LATE_MS).toISOString(),
				finished_at: new Date(at.getTime() + LATE_MS).toISOString(),
				duration_ms: 0,
				outcome: "ok",
				error: null,
				count_digests_planned: expect.any(Number),
				count_emails: expect.any(Number),
				count_messages: expect.any(Number),
				count_sent: expect.any(Number),
				count_retrying: expect.any(Number),
				count_failed: expect.any(Number),
				count_deferred: expect.any(Number),
			},
		]);
		const [row] = (await runAt(at)).results;
		const counts = JSON.parse(String(row?.counts)) as Record<string, number>;
		expect(Object.fromEntries(Object.entries(counts).map(([k, n]) => [`count_${k}`, n]))).toEqual(
			Object.fromEntries(Object.entries(lines[0] ?? {}).filter(([k]) => k.startsWith("count_"))),
		);
	});

	it("logs a failed run as an error with its reason, and a skipped one with the settings it lacks, never their values", async () => {
		const at = new Date("2025-09-05T00:00:00Z");
		vi.setSystemTime(at.getTime() + LATE_MS);
		const unknown = await cronLogLines(() => fire("5 4 * * *", at));
		expect(unknown).toEqual([expect.objectContaining({ job: "unknown", outcome: "error", error: 'Error: no job is scheduled on "5 4 * * *"' })]);

		const bindings = { ...env, ALERT_FROM: "Vigil <vigil@example.org>", SECRETS_KEY: "c2hvcnQta2V5" };
		const skipped = await cronLogLines(() => runScheduled({ cron: "* * * * *", scheduledTime: at.getTime() + 600_000 }, bindings));
		expect(skipped).toEqual([
			expect.objectContaining({
				job: "sweep",
				outcome: "skipped",
				error: expect.stringMatching(/^not run, configuration incomplete: SECRETS_KEY .*; ALERT_FROM is not an email address/),
			}),
		]);
		expect(Object.keys(skipped[0] ?? {}).filter((k) => k.startsWith("count_"))).toEqual([]);
		expect(JSON.stringify(skipped)).not.toMatch(/c2hvcnQta2V5|vigil@example\.org/);
	});

	it("has a runnable job for every cron in wrangler.toml, and no job without one", () => {
		expect([...env.WRANGLER_CRONS].sort()).toEqual(JOBS.map((j) => j.cron).sort());
		expect(JOBS.map((j) => j.name)).toEqual(SCHEDULES.map((s) => s.name));
		for (const job of JOBS) expect(typeof job.run).toBe("function");
	});
});
