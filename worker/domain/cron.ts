import { Cron } from "croner";

/** The gap between two consecutive firings of a cron expression after `from`, in ms. */
export function cronInterval(expression: string, from: Date): number {
	const [a, b] = new Cron(expression, { timezone: "UTC" }).nextRuns(2, from);
	if (!a || !b) throw new Error(`cron "${expression}" does not fire twice`);
	return b.getTime() - a.getTime();
}

/**
 * A job is stale when its last run started more than two intervals ago. A job that never ran is
 * stale once crons have been firing (since `firstRunAt`, any job) for two of its intervals, or
 * when no cron has ever fired: a daily job is not "stale" ten minutes after the first deploy.
 */
export function isStale(expression: string, lastStartedAt: Date | null, firstRunAt: Date | null, now: Date): boolean {
	const since = lastStartedAt ?? firstRunAt;
	if (!since) return true;
	return now.getTime() - since.getTime() > 2 * cronInterval(expression, since);
}
