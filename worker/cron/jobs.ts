import type { Db } from "../db/client";
import type { Config } from "../env";
import { runDigest } from "../alerts/digest";
import { runSweep } from "../alerts/sweep";

/** What a job gets: the db, config, the EMAIL binding and the run's clock. */
export interface JobContext {
	db: Db;
	config: Config;
	email: SendEmail;
	now: Date;
}

/** Counts a job reports for its cron_run row ("sent": 3, "failed": 0 ...). */
export type JobCounts = Record<string, number>;

export interface Job {
	name: string;
	/** Must match a `[triggers] crons` entry in wrangler.toml (a test checks). */
	cron: string;
	/** How often `cron` fires, for staleness (a test checks it against croner's reading of `cron`). */
	intervalMs: number;
	run(ctx: JobContext): Promise<JobCounts>;
}

/** The deadline sweep: plans milestone and surge alerts, then delivers what is pending. */
export const sweepJob: Job = {
	name: "sweep",
	cron: "*/10 * * * *",
	intervalMs: 10 * 60_000,
	run: runSweep,
};

/** The daily digest: new incidents and coming deadlines, only when there is something new. */
export const digestJob: Job = {
	name: "digest",
	cron: "0 6 * * *",
	intervalMs: 24 * 3_600_000,
	run: runDigest,
};

export const JOBS: readonly Job[] = [sweepJob, digestJob];
