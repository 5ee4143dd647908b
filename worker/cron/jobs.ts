import type { Setting } from "../config/check";
import type { QueryBudget } from "../db/budget";
import type { Db } from "../db/client";
import type { Config } from "../env";

/** What a job gets: the db, config, the EMAIL binding, the run's clock and its D1 round trips (db/budget.ts). */
export interface JobContext {
	db: Db;
	config: Config;
	email: SendEmail;
	now: Date;
	/** Counted by `db`: a job leaves for its next run the work that would not fit. */
	queries: QueryBudget;
}

/** Counts a job reports for its cron_run row ("sent": 3, "failed": 0 ...). */
export type JobCounts = Record<string, number>;

/** When a job runs: /status judges staleness from this alone, without loading the job's code. */
export interface JobSchedule {
	name: string;
	/** Must match a `[triggers] crons` entry in wrangler.toml (a test checks). */
	cron: string;
	/** How often `cron` fires, for staleness (a test checks it against croner's reading of `cron`). */
	intervalMs: number;
}

/** A schedule with the work it runs; worker/scheduled.ts pairs them. */
export interface Job extends JobSchedule {
	run(ctx: JobContext): Promise<JobCounts>;
	/**
	 * Optional: whether the job has nothing to do at `ctx.now`, in at most one D1 query. The runner
	 * then records the run in one statement instead of running it: a job that fires every minute
	 * costs two queries when idle.
	 */
	idle?(ctx: JobContext): Promise<boolean>;
	/** Settings without which the job must not run (it would do harm, not just less): the runner skips it. */
	needs: readonly Setting[];
}

/** The deadline sweep: plans milestone and surge alerts, then sends what is pending; every minute, so an alert is at most a minute late. */
export const SWEEP = { name: "sweep", cron: "* * * * *", intervalMs: 60_000 } as const satisfies JobSchedule;

/** The daily digest: new incidents and coming deadlines, only when there is something new. */
export const DIGEST = { name: "digest", cron: "0 6 * * *", intervalMs: 24 * 3_600_000 } as const satisfies JobSchedule;

/** Every job's schedule; worker/scheduled.ts must give each one its work (the compiler checks). */
export const SCHEDULES = [SWEEP, DIGEST] as const;

/** A job's name, as its schedule gives it. */
export type JobName = (typeof SCHEDULES)[number]["name"];

/**
 * However often a job fires, it is not stale before this: Cron Triggers can start a minute or two
 * late, and a minutely sweep must not flip /status to degraded each time one does.
 */
export const STALE_FLOOR_MS = 10 * 60_000;

/**
 * A job is stale when its last run started more than two intervals ago (and at least
 * STALE_FLOOR_MS). A job that never ran is stale once crons have been firing (since `firstRunAt`,
 * any job) for as long, or when no cron has ever fired: a daily job is not "stale" ten minutes
 * after the first deploy.
 */
export function isStale(intervalMs: number, lastStartedAt: Date | null, firstRunAt: Date | null, now: Date): boolean {
	const since = lastStartedAt ?? firstRunAt;
	if (!since) return true;
	return now.getTime() - since.getTime() > Math.max(2 * intervalMs, STALE_FLOOR_MS);
}
