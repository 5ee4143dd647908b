// Whether a status is ok or degraded, and why in one line: a pure rule over the figures /status reads.

/** The figures the verdict is drawn from. */
export interface HealthFacts {
	/** Scheduled deadlines (not events) past their due time. */
	overdueDeadlines: number;
	/** Jobs whose last run is older than their schedule allows. */
	staleJobs: readonly string[];
	/** Alerts that failed past their last attempt. */
	failedAlerts: number;
	/** Queued webhooks dead-lettered in the last 7 days: answered 202 and never written. */
	deadLettered: number;
}

/** The verdict: `reason` is null exactly when the status is ok. */
export interface Health {
	status: "ok" | "degraded";
	reason: string | null;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "the sweep cron is stale", "the sweep and digest crons are stale". */
function staleLine(jobs: readonly string[]): string {
	const names = jobs.length === 1 ? jobs[0] : `${jobs.slice(0, -1).join(", ")} and ${jobs.at(-1)}`;
	return `the ${names} ${jobs.length === 1 ? "cron is" : "crons are"} stale`;
}

/**
 * The whole instance is degraded when a cron is stale, an alert failed or a queued webhook was
 * dead-lettered (answered 202, never written): it is failing its
 * readers. A situation page is degraded when one of its deadlines is overdue or a cron is stale:
 * its readers want to know the situation is off schedule, not how Vigil's mail is doing.
 */
export function judgeHealth(facts: HealthFacts, scope: "site" | "page"): Health {
	const reasons = [
		scope === "page" && facts.overdueDeadlines > 0 ? `${plural(facts.overdueDeadlines, "deadline is", "deadlines are")} overdue` : null,
		facts.staleJobs.length > 0 ? staleLine(facts.staleJobs) : null,
		scope === "site" && facts.failedAlerts > 0 ? `${plural(facts.failedAlerts, "alert", "alerts")} failed` : null,
		scope === "site" && facts.deadLettered > 0 ? `${plural(facts.deadLettered, "queued webhook was", "queued webhooks were")} dead-lettered` : null,
	].filter((r): r is string => r !== null);
	return reasons.length === 0 ? { status: "ok", reason: null } : { status: "degraded", reason: capitalise(reasons.join("; ")) };
}

/** One more reason (a configuration problem) added to a verdict. */
export function addReason(health: Health, reason: string): Health {
	return { status: "degraded", reason: health.reason ? `${health.reason}; ${reason}` : capitalise(reason) };
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
