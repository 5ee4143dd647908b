import { eq } from "drizzle-orm";
import { createDb } from "../db/client";
import { cronRuns } from "../db/schema";
import { type Env, loadConfig } from "../env";
import type { Job } from "./jobs";

/**
 * Runs the job scheduled on the trigger's expression: records the run in cron_run before it
 * starts and after it ends, and never lets one job's error escape unrecorded.
 */
export async function runJob(jobs: readonly Job[], controller: Pick<ScheduledController, "cron" | "scheduledTime">, env: Env, now: Date): Promise<void> {
	const db = createDb(env.DB);
	const job = jobs.find((j) => j.cron === controller.cron);
	const [run] = await db
		.insert(cronRuns)
		.values({ cron: controller.cron, job: job?.name ?? "unknown", scheduledTime: new Date(controller.scheduledTime), startedAt: now })
		.returning({ id: cronRuns.id });
	if (!run) throw new Error("cron_run insert returned nothing");
	let counts: Record<string, number> | null = null;
	let error: string | null = null;
	try {
		if (!job) throw new Error(`no job is scheduled on "${controller.cron}"`);
		counts = await job.run({ db, config: loadConfig(env), email: env.EMAIL, now });
	} catch (e) {
		error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
		console.error(`cron ${controller.cron} failed:`, error);
	}
	await db.update(cronRuns).set({ finishedAt: new Date(), counts, error }).where(eq(cronRuns.id, run.id));
}
