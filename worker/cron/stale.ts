/**
 * A job is stale when its last run started more than two intervals ago. A job that never ran is
 * stale once crons have been firing (since `firstRunAt`, any job) for two of its intervals, or
 * when no cron has ever fired: a daily job is not "stale" ten minutes after the first deploy.
 */
export function isStale(intervalMs: number, lastStartedAt: Date | null, firstRunAt: Date | null, now: Date): boolean {
	const since = lastStartedAt ?? firstRunAt;
	if (!since) return true;
	return now.getTime() - since.getTime() > 2 * intervalMs;
}
