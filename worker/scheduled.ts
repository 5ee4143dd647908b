import { runDigest } from "./alerts/digest";
import { runSweep, sweepIdle } from "./alerts/sweep";
import { EMAIL_SETTINGS } from "./config/check";
import { type Job, type JobName, SCHEDULES } from "./cron/jobs";
import { runJob } from "./cron/runner";
import type { Env } from "./env";

/**
 * The work of each scheduled job and the settings it needs: a schedule without its entry here does
 * not compile. Both jobs send email; skipped while it cannot be sent, they plan nothing, and the
 * first run after the fix plans as after any downtime (the smallest crossed offset only).
 */
const WORK: Record<JobName, Pick<Job, "run" | "needs" | "idle">> = {
	sweep: { run: runSweep, idle: sweepIdle, needs: EMAIL_SETTINGS },
	digest: { run: runDigest, needs: EMAIL_SETTINGS },
};

/** Every Cron Trigger's job, by the expression it runs on. */
export const JOBS: readonly Job[] = SCHEDULES.map((schedule) => ({ ...schedule, ...WORK[schedule.name] }));

/** The scheduled() handler: the job for this trigger, recorded in cron_run. */
export function runScheduled(controller: Pick<ScheduledController, "cron" | "scheduledTime">, env: Env, now = new Date()): Promise<void> {
	return runJob(JOBS, controller, env, now);
}
