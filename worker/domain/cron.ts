import { Cron } from "croner";

/** The gap between two consecutive firings of a cron expression after `from`, in ms. */
export function cronInterval(expression: string, from: Date): number {
	const [a, b] = new Cron(expression, { timezone: "UTC" }).nextRuns(2, from);
	if (!a || !b) throw new Error(`cron "${expression}" does not fire twice`);
	return b.getTime() - a.getTime();
}

/** A job is stale when its last run started more than two intervals ago (or it never ran). */
export function isStale(expression: string, lastStartedAt: Date | null, now: Date): boolean {
	if (!lastStartedAt) return true;
	return now.getTime() - lastStartedAt.getTime() > 2 * cronInterval(expression, lastStartedAt);
}
