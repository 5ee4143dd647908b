import { runDigest } from "./alerts/digest";
import { runSweep } from "./alerts/sweep";
import { type Job, type JobName, SCHEDULES } from "./cron/jobs";
import { runJob } from "./cron/runner";
import type { Env } from "./env";

/** The work of each scheduled job: a schedule without its entry here does not compile. */
const WORK: Record<JobName, Job["run"]> = { sweep: runSweep, digest: runDigest };

/** Every Cron Trigger's job, by the expression it runs on. */
export const JOBS: readonly Job[] = SCHEDULES.map((schedule) => ({ ...schedule, run: WORK[schedule.name] }));

/** The scheduled() handler: the job for this trigger, recorded in cron_run. */
export function runScheduled(controller: Pick<ScheduledController, "cron" | "scheduledTime">, env: Env, now = new Date()): Promise<void> {
	return runJob(JOBS, controller, env, now);
}
