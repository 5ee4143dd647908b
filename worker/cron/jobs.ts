import type { Config } from "../env";
import type { Db } from "../db/client";

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
	run(ctx: JobContext): Promise<JobCounts>;
}

/** The deadline sweep: alert planning and sending arrive with the alerts work; for now it only records its run. */
export const sweepJob: Job = {
	name: "sweep",
	cron: "*/10 * * * *",
	run: async () => ({}),
};

/** The daily digest: records its run until digests are built. */
export const digestJob: Job = {
	name: "digest",
	cron: "0 6 * * *",
	run: async () => ({}),
};

export const JOBS: readonly Job[] = [sweepJob, digestJob];
