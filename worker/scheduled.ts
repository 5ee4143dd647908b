import { runDigest } from "./alerts/digest";
import { runSweep } from "./alerts/sweep";
import { DIGEST, type Job, SWEEP } from "./cron/jobs";
import { runJob } from "./cron/runner";
import type { Env } from "./env";

/** Every Cron Trigger's job, by the expression it runs on. */
export const JOBS: readonly Job[] = [
	{ ...SWEEP, run: runSweep },
	{ ...DIGEST, run: runDigest },
];

/** The scheduled() handler: the job for this trigger, recorded in cron_run. */
export function runScheduled(controller: Pick<ScheduledController, "cron" | "scheduledTime">, env: Env, now = new Date()): Promise<void> {
	return runJob(JOBS, controller, env, now);
}
