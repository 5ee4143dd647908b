/**
 * How much of cron_runs is kept. A sweep a minute is 525,600 rows a year, so runs older than
 * CRON_HISTORY_MS are deleted, except the last failure of each job: "when did it last fail, and
 * why" stays answerable however long ago it was.
 */
import { and, isNotNull, lt, max, notInArray } from "drizzle-orm";
import type { Db } from "../db/client";
import { cronRuns } from "../db/schema";

export const CRON_HISTORY_MS = 7 * 86_400_000;

/** Deletes the runs that fell out of the history window; answers how many. */
export async function pruneCronRuns(db: Db, now: Date): Promise<number> {
	const lastFailures = db
		.select({ id: max(cronRuns.id) })
		.from(cronRuns)
		.where(isNotNull(cronRuns.error))
		.groupBy(cronRuns.job);
	const result = await db
		.delete(cronRuns)
		.where(and(lt(cronRuns.startedAt, new Date(now.getTime() - CRON_HISTORY_MS)), notInArray(cronRuns.id, lastFailures)))
		.run();
	return result.meta.changes;
}
