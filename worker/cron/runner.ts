import { eq } from "drizzle-orm";
import { type ConfigProblem, describeProblems } from "../config/check";
import { counted, QueryBudget } from "../db/budget";
import { createDb } from "../db/client";
import { cronRuns } from "../db/schema";
import { type Env, loadConfig } from "../env";
import { describeError, type LogValue, logEvent } from "../log";
import type { Job, JobContext, JobCounts } from "./jobs";

/**
 * How a run ended: `ok`; `degraded` when it ran while a setting it does not need is missing or
 * invalid; `skipped` when a setting it needs is, so it did not run; `error` when it threw.
 */
export type RunOutcome = "ok" | "degraded" | "skipped" | "error";

/** The error column: what went wrong, then what configuration is missing (by name, never a value). */
function errorText(failure: string | null, outcome: RunOutcome, problems: readonly ConfigProblem[]): string | null {
	const parts = [failure];
	if (problems.length > 0) parts.push(`${outcome === "skipped" ? "not run, " : ""}configuration incomplete: ${describeProblems(problems)}`);
	return parts.filter((p) => p !== null).join("; ") || null;
}

/** The job's idle probe; a probe that fails says "not idle", and the full run meets (and records) the trouble. */
async function isIdle(job: Job, ctx: JobContext): Promise<boolean> {
	try {
		return (await job.idle?.(ctx)) === true;
	} catch (e) {
		console.error(`${job.name}: idle probe failed, running in full: ${describeError(e)}`);
		return false;
	}
}

/**
 * Runs the job scheduled on the trigger's expression: records the run in cron_run before it
 * starts and after it ends, never lets one job's error escape unrecorded, and logs one JSON line
 * (`cron_run`) per run. A job whose needed settings are missing or invalid is skipped, with the
 * reason recorded: what it would have sent waits for the first run after the fix. A job whose
 * idle probe says there is nothing to do is not run, and its run is recorded in one insert.
 */
export async function runJob(jobs: readonly Job[], controller: Pick<ScheduledController, "cron" | "scheduledTime">, env: Env, now: Date): Promise<void> {
	// The run's record counts too: the job's share is what is left after it.
	const queries = new QueryBudget();
	const db = createDb(counted(env.DB, queries));
	const config = loadConfig(env);
	const job = jobs.find((j) => j.cron === controller.cron);
	const name = job?.name ?? "unknown";
	const scheduledTime = new Date(controller.scheduledTime);
	// `now` is the run's clock as the job sees it; the duration is measured, not derived from it.
	const began = Date.now();
	let counts: JobCounts | null = null;
	let failure: string | null = null;
	let outcome: RunOutcome = "error";
	try {
		const blocking = job ? config.problems.filter((p) => job.needs.includes(p.setting)) : [];
		if (job?.idle && blocking.length === 0 && (await isIdle(job, { db, config, email: env.EMAIL, now, queries }))) {
			// Nothing to do: the run is recorded whole, in one statement.
			counts = { idle: 1 };
			outcome = config.problems.length > 0 ? "degraded" : "ok";
			const error = errorText(null, outcome, config.problems);
			await db.insert(cronRuns).values({ cron: controller.cron, job: name, scheduledTime, startedAt: now, finishedAt: new Date(), counts, error });
			return;
		}
		const [run] = await db.insert(cronRuns).values({ cron: controller.cron, job: name, scheduledTime, startedAt: now }).returning({ id: cronRuns.id });
		if (!run) throw new Error("cron_run insert returned nothing");
		try {
			if (!job) throw new Error(`no job is scheduled on "${controller.cron}"`);
			if (blocking.length === 0) counts = await job.run({ db, config, email: env.EMAIL, now, queries });
			outcome = blocking.length > 0 ? "skipped" : config.problems.length > 0 ? "degraded" : "ok";
		} catch (e) {
			failure = describeError(e);
		}
		const error = errorText(failure, outcome, config.problems);
		await db.update(cronRuns).set({ finishedAt: new Date(), counts, error }).where(eq(cronRuns.id, run.id));
	} catch (e) {
		// cron_run itself could not be written (D1 down): the log line is then the only record.
		outcome = "error";
		failure ??= describeError(e);
		// Rethrown in D1's words: the runtime logs an uncaught error's message, and drizzle's holds the statement.
		throw new Error(describeError(e), { cause: e });
	} finally {
		const finishedAt = new Date();
		const countFields: Record<string, LogValue> = {};
		for (const [key, n] of Object.entries(counts ?? {})) countFields[`count_${key}`] = n;
		logEvent("cron_run", {
			job: name,
			cron: controller.cron,
			scheduled_time: scheduledTime.toISOString(),
			started_at: now.toISOString(),
			finished_at: finishedAt.toISOString(),
			duration_ms: finishedAt.getTime() - began,
			outcome,
			error: errorText(failure, outcome, config.problems),
			...countFields,
		});
	}
}
