// Retention (RETAIN_INCIDENTS_DAYS) through the minutely sweep, with a frozen clock: what is
// deleted and what stays, in what order, how much a run takes, that incident_hourly and /status
// stay exact, what an idle minute costs, and that unset or invalid settings delete nothing.
import { createExecutionContext, env } from "cloudflare:test";
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { SWEEP } from "../../worker/cron/jobs";
import { cronRuns } from "../../worker/db/schema";
import type { Env } from "../../worker/env";
import { expiredQuery, RETENTION_BATCH, RETENTION_BATCHES, retentionBacklog, retentionCutoffs, UNCOUNTED_KEEP_MS } from "../../worker/incidents/retention";
import worker from "../../worker/index";
import { runScheduled } from "../../worker/scheduled";
import type { StatusJson } from "../../worker/status/schema";
import { db } from "../support/db";
import { FakeEmail } from "../support/fake-email";
import { faultyD1 } from "../support/faulty-d1";
import { problem } from "../support/http";
import { insertSource, insertZone } from "../support/incident-rows";
import { DAY, drain, expectHourlyExact, remaining, type Spec, writeSpecs } from "../support/retention";

const MIN = 60_000;
const PER_RUN = RETENTION_BATCH * RETENTION_BATCHES;

/** The suite's bindings with RETAIN_INCIDENTS_DAYS as given (undefined: not set). */
const withRetention = (days: string | undefined): Env => ({ ...env, EMAIL: new FakeEmail(), RETAIN_INCIDENTS_DAYS: days });

/** Fires the sweep as its Cron Trigger would at `at`; answers the run's cron_runs row. */
async function sweep(bindings: Env, at: number) {
	await runScheduled({ cron: SWEEP.cron, scheduledTime: at }, bindings, new Date(at));
	const [run] = await db
		.select()
		.from(cronRuns)
		.where(and(eq(cronRuns.job, "sweep"), eq(cronRuns.scheduledTime, new Date(at))));
	return run;
}

/** The ids among `ids` of the specs `keep` says stay. */
const idsWhere = (ids: number[], specs: Spec[], keep: (s: Spec) => boolean) => ids.filter((_, i) => keep(specs[i] as Spec)).sort((a, b) => a - b);

describe("retention", () => {
	it("deletes incidents that occurred before the retention and keeps /status and incident_hourly exact", async () => {
		const [source, zone] = await Promise.all([insertSource(), insertZone("Retention zone")]);
		// /status reads the real clock: `now` is the last minute 7 of an hour, within the hour before it.
		// No chore falls on minute 7, so the run is woken by the expired incidents alone.
		const now = Math.floor((Date.now() - 7 * MIN) / 3_600_000) * 3_600_000 + 7 * MIN;
		const bindings = withRetention("2");
		await drain(2 * DAY, now);
		const ago = [6 * DAY, 3 * DAY, 2 * DAY + 1, 2 * DAY, 2 * DAY - 1, 20 * 3_600_000, MIN];
		const specs = ago.map((a) => ({ at: now - a, zoneId: zone.id }));
		const ids = await writeSpecs(source.id, specs);
		const byZone = async () => {
			const res = await worker.fetch(new Request("https://vigil.test/status"), bindings, createExecutionContext());
			return ((await res.json()) as StatusJson).incidents.by_zone.find((z) => z.zone === zone.slug);
		};
		expect(await byZone()).toMatchObject({ last_24h: 2, last_7d: 7 });

		const run = await sweep(bindings, now);
		expect(run?.counts).toMatchObject({ incidents_deleted: 3 });
		// Exactly two days old is not older than two days: it stays.
		expect(await remaining(source.id)).toEqual(idsWhere(ids, specs, (s) => s.at >= now - 2 * DAY));
		expect(await byZone()).toMatchObject({ last_24h: 2, last_7d: 4 });
		await expectHourlyExact();
	});

	it("works off a backlog larger than a run a bounded share a run, retracted and rejected reports first", async () => {
		const source = await insertSource();
		const now = Date.UTC(2034, 5, 1, 0, 3);
		const keep = 365 * DAY;
		const bindings = withRetention("365");
		await drain(keep, now);
		const old = Array.from({ length: 2 * PER_RUN + 37 }, (_, i) => ({ at: now - keep - DAY - i * MIN }));
		// Newer than the old counted ones, older than 90 days: the first run must take them all.
		const uncounted: Spec[] = [
			{ at: now - 100 * DAY, retracted: true },
			{ at: now - 91 * DAY, verification: "rejected" },
			{ at: now - 300 * DAY, verification: "rejected", retracted: true },
		];
		const kept: Spec[] = [{ at: now - 100 * DAY }, { at: now - 80 * DAY, retracted: true }, { at: now - 89 * DAY, verification: "rejected" }, { at: now }];
		const specs = [...old, ...uncounted, ...kept];
		const ids = await writeSpecs(source.id, specs);
		const uncountedIds = ids.slice(old.length, old.length + uncounted.length);
		const keptIds = ids.slice(old.length + uncounted.length);

		const first = await sweep(bindings, now);
		expect(first?.counts).toMatchObject({ incidents_deleted: PER_RUN });
		const afterFirst = await remaining(source.id);
		expect(afterFirst.filter((id) => uncountedIds.includes(id))).toEqual([]);
		expect(afterFirst).toHaveLength(specs.length - PER_RUN);
		await expectHourlyExact();

		// Each later minute is woken by the backlog (no chore falls on minutes 3 to 6) until it is gone.
		expect((await sweep(bindings, now + MIN))?.counts).toMatchObject({ incidents_deleted: PER_RUN });
		expect((await sweep(bindings, now + 2 * MIN))?.counts).toMatchObject({ incidents_deleted: old.length + uncounted.length - 2 * PER_RUN });
		expect((await sweep(bindings, now + 3 * MIN))?.counts).toEqual({ idle: 1 });
		expect(await remaining(source.id)).toEqual(keptIds);
		await expectHourlyExact();
	});

	it("deletes retracted and rejected reports at the retention when it is shorter than 90 days", async () => {
		const source = await insertSource();
		const now = Date.UTC(2035, 0, 1, 1, 0);
		await drain(30 * DAY, now);
		const specs: Spec[] = [
			{ at: now - 31 * DAY, retracted: true },
			{ at: now - 31 * DAY, verification: "rejected" },
			{ at: now - 29 * DAY, retracted: true },
			{ at: now - 29 * DAY, verification: "unverified" },
		];
		const ids = await writeSpecs(source.id, specs);
		expect((await sweep(withRetention("30"), now))?.counts).toMatchObject({ incidents_deleted: 2 });
		expect(await remaining(source.id)).toEqual(ids.slice(2));
		await expectHourlyExact();
	});

	it("deletes nothing, ever, when RETAIN_INCIDENTS_DAYS is unset or blank, and costs an idle minute nothing more", async () => {
		const source = await insertSource();
		const ids = await writeSpecs(source.id, [
			{ at: Date.UTC(1901, 0, 1) },
			{ at: Date.UTC(1902, 0, 1), retracted: true },
			{ at: Date.UTC(1903, 0, 1), verification: "rejected" },
		]);
		for (const [hour, days] of [undefined, "", "  "].entries()) {
			// Minute 0 of an hour: every chore runs, so the run is full.
			const run = await sweep(withRetention(days), Date.UTC(2090, 0, 1, hour));
			expect(run?.counts, JSON.stringify(days)).toMatchObject({ incidents_deleted: 0 });
			expect(run?.error).toBeNull();
		}
		const plan = { failAt: 0, calls: 0 };
		const idle = await sweep({ ...withRetention(undefined), DB: faultyD1(env.DB, plan) }, Date.UTC(2090, 0, 1, 5, 7));
		expect(idle?.counts).toEqual({ idle: 1 });
		expect(plan.calls).toBe(2);
		expect(await remaining(source.id)).toEqual(ids);
	});

	it("reports an invalid RETAIN_INCIDENTS_DAYS by name in /healthz and cron_runs, and deletes nothing", async () => {
		const source = await insertSource();
		const ids = await writeSpecs(source.id, [{ at: Date.UTC(1905, 0, 1) }, { at: Date.UTC(1905, 0, 1), retracted: true }]);
		for (const [i, days] of ["0", "-5", "1.5", "30d", "1e3", "36501"].entries()) {
			const bindings = withRetention(days);
			const body = await problem(await worker.fetch(new Request("https://vigil.test/healthz"), bindings, createExecutionContext()), 503);
			expect(body.errors, days).toEqual([{ path: "RETAIN_INCIDENTS_DAYS", message: expect.stringMatching(/^is not a whole number of days/) }]);
			const run = await sweep(bindings, Date.UTC(2091, 0, 1, i));
			expect(run?.counts, days).toMatchObject({ incidents_deleted: 0 });
			expect(run?.error).toMatch(/^configuration incomplete: RETAIN_INCIDENTS_DAYS is not a whole number of days/);
		}
		expect(await remaining(source.id)).toEqual(ids);
	});
});

describe("retention cost", () => {
	it("costs an idle minute no extra round trip, and wakes it for a backlog older than the slack", async () => {
		const source = await insertSource();
		const now = Date.UTC(2036, 0, 1, 3, 7);
		await drain(10 * DAY, now);
		const plan = { failAt: 0, calls: 0 };
		const bindings = { ...withRetention("10"), DB: faultyD1(env.DB, plan) };
		// Expired for less than the slack: left for the hourly chore run, the minute stays idle.
		const [fresh] = await writeSpecs(source.id, [{ at: now - 10 * DAY - 30 * MIN }]);
		expect((await sweep(bindings, now))?.counts).toEqual({ idle: 1 });
		expect(plan.calls).toBe(2);
		const [stale] = await writeSpecs(source.id, [{ at: now - 10 * DAY - 2 * 3_600_000 }]);
		expect((await sweep(bindings, now + MIN))?.counts).toMatchObject({ incidents_deleted: 2 });
		expect(await remaining(source.id)).not.toContain(fresh);
		expect(await remaining(source.id)).not.toContain(stale);
	});

	it("finds expired incidents by the occurred_at index and the partial index of uncounted reports, never by a scan", async () => {
		const cutoffs = retentionCutoffs(365 * DAY, new Date(Date.UTC(2030, 0, 1)));
		const batch = sql`SELECT * FROM (${expiredQuery(db, cutoffs)})`;
		const probe = sql`SELECT ${retentionBacklog(db, UNCOUNTED_KEEP_MS, new Date(Date.UTC(2030, 0, 1)))}`;
		for (const query of [batch, probe]) {
			const plan = await db.all<{ detail: string }>(sql`EXPLAIN QUERY PLAN ${query}`);
			const details = plan.map((r) => r.detail).join(" | ");
			// Not covering (the rows' own columns are read to check the predicate), but only for the few it returns.
			expect(details).toMatch(/SEARCH incidents USING INDEX incidents_uncounted_occurred \(occurred_at<\?\)/);
			expect(details).toMatch(/SEARCH incidents USING COVERING INDEX incidents_occurred\w* \(occurred_at<\?\)/);
			expect(details).not.toMatch(/SCAN incidents|TEMP B-TREE/);
		}
	});
});
