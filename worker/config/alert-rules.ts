import { DurationError, parseDuration } from "../time/duration";

/** Alert tuning, resolved once from vars in loadConfig. */
export interface AlertRules {
	/** First retry delay after a failed send; doubles per attempt up to MAX_BACKOFF_MS. */
	backoffMs: number;
	/** Attempts before an alert is marked failed. */
	maxAttempts: number;
	/** Reminder interval for a milestone still scheduled past its due time; 0 = no reminders. */
	reminderIntervalMs: number;
	/** The one reminder for an event with no outcome recorded, this long after its day began; 0 = none. */
	outcomeReminderMs: number;
	/** A zone surges when its last 7 days exceed this multiple of its trailing weekly average... */
	surgeMultiple: number;
	/** ...and count at least this many incidents. */
	surgeMinimum: number;
}

export const DEFAULT_ALERT_RULES: AlertRules = {
	backoffMs: 5 * 60_000,
	maxAttempts: 5,
	reminderIntervalMs: 7 * 86_400_000,
	outcomeReminderMs: 2 * 86_400_000,
	surgeMultiple: 2,
	surgeMinimum: 5,
};

interface AlertVars {
	ALERT_BACKOFF?: string;
	ALERT_MAX_ATTEMPTS?: string;
	ALERT_REMINDER_INTERVAL?: string;
	EVENT_OUTCOME_REMINDER?: string;
	SURGE_MULTIPLE?: string;
	SURGE_MIN_INCIDENTS?: string;
}

// A bad var falls back to its default loudly (in the log) rather than taking every request down.
function duration(name: string, value: string | undefined, fallback: number): number {
	if (!value) return fallback;
	try {
		return parseDuration(value.trim());
	} catch (e) {
		if (!(e instanceof DurationError)) throw e;
		console.warn(`${name}: ${e.message}; using the default`);
		return fallback;
	}
}

function number(name: string, value: string | undefined, fallback: number, min: number, integer: boolean): number {
	if (!value) return fallback;
	const n = Number(value);
	if (!Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
		console.warn(`${name}: "${value}" is not ${integer ? "an integer" : "a number"} >= ${min}; using the default`);
		return fallback;
	}
	return n;
}

/** Reads the alert vars (ISO 8601 durations and plain numbers), with defaults for what is unset. */
export function resolveAlertRules(vars: AlertVars): AlertRules {
	const d = DEFAULT_ALERT_RULES;
	return {
		backoffMs: Math.max(1000, duration("ALERT_BACKOFF", vars.ALERT_BACKOFF, d.backoffMs)),
		maxAttempts: number("ALERT_MAX_ATTEMPTS", vars.ALERT_MAX_ATTEMPTS, d.maxAttempts, 1, true),
		reminderIntervalMs: duration("ALERT_REMINDER_INTERVAL", vars.ALERT_REMINDER_INTERVAL, d.reminderIntervalMs),
		outcomeReminderMs: duration("EVENT_OUTCOME_REMINDER", vars.EVENT_OUTCOME_REMINDER, d.outcomeReminderMs),
		surgeMultiple: number("SURGE_MULTIPLE", vars.SURGE_MULTIPLE, d.surgeMultiple, 1, false),
		surgeMinimum: number("SURGE_MIN_INCIDENTS", vars.SURGE_MIN_INCIDENTS, d.surgeMinimum, 1, true),
	};
}
