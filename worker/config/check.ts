/**
 * Is this Vigil configured well enough to do its job? A pure check of the settings a deployment
 * must provide, and of RETAIN_INCIDENTS_DAYS, whose wrong value must not pass unseen; `/healthz`,
 * `/status` and the cron runner report what it finds. Problems name the setting and what is wrong
 * with it, never its value (two of them are secrets).
 */

/** The settings a deployment must provide; the others have defaults that work anywhere. */
export const REQUIRED_SETTINGS = ["ADMIN_TOKEN", "SECRETS_KEY", "APP_URL", "ALERT_FROM"] as const;

/**
 * Every setting the check reads: the required ones, and the optional ones whose wrong value must be
 * reported rather than guessed at (a typo in a retention must neither delete data nor go unseen).
 */
export const CHECKED_SETTINGS = [...REQUIRED_SETTINGS, "RETAIN_INCIDENTS_DAYS"] as const;

export type Setting = (typeof CHECKED_SETTINGS)[number];

/** One missing or invalid setting: its name and what is wrong, as a sentence without its value. */
export interface ConfigProblem {
	setting: Setting;
	problem: string;
}

/** The raw values, as the bindings give them (a missing var or secret is undefined). */
export type ConfigVars = Partial<Record<Setting, string>>;

/** http is fine for a Worker served on this machine (`npm start`, the e2e test, the bench). */
const LOOPBACK = /^(?:localhost|[\w-]+\.localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

// One pass, no nested quantifiers: a display name ("Vigil <a@b.org>") is not accepted, the
// send_email binding wants the bare address.
const ADDRESS = /^[^\s@<>"(),;:\\[\]]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$/;

/**
 * What every alert email is made from besides the ledger: its sender, and the base of its links
 * (the one-click unsubscribe link must be https). The jobs that send do not run without them.
 */
export const EMAIL_SETTINGS: readonly Setting[] = ["APP_URL", "ALERT_FROM"];

const HELD = "alert emails wait until it is fixed";
const NO_SOURCES = "webhook sources cannot be created or verified";

function secretsKeyProblem(value: string): string | null {
	let bytes: string;
	try {
		bytes = atob(value);
	} catch {
		return `is not valid base64: ${NO_SOURCES}`;
	}
	return bytes.length === 32 ? null : `is not 32 bytes in base64: ${NO_SOURCES}`;
}

function appUrlProblem(value: string): string | null {
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		return `is not a URL: ${HELD}`;
	}
	if (url.protocol === "https:") return null;
	if (url.protocol === "http:" && LOOPBACK.test(url.hostname)) return null;
	return `must be an https URL, as one-click unsubscribe links need (http only for localhost): ${HELD}`;
}

/** The longest retention taken: a century, far beyond any desk's need, and well inside Date's range. */
export const MAX_RETAIN_DAYS = 36_500;

/**
 * RETAIN_INCIDENTS_DAYS as days: null when unset or blank (incidents are kept forever), else a whole
 * number of days from 1 to MAX_RETAIN_DAYS; anything else is a problem, and nothing is deleted.
 */
export function readRetainDays(value: string | undefined): { days: number | null } | { problem: string } {
	const text = value?.trim();
	if (!text) return { days: null };
	const days = /^\d+$/.test(text) ? Number(text) : Number.NaN;
	if (days >= 1 && days <= MAX_RETAIN_DAYS) return { days };
	return { problem: `is not a whole number of days from 1 to ${MAX_RETAIN_DAYS}: no incident is deleted until it is fixed` };
}

/** Every problem with the checked settings, in CHECKED_SETTINGS order; empty when all is well. */
export function checkConfig(vars: ConfigVars): ConfigProblem[] {
	const problems: ConfigProblem[] = [];
	const report = (setting: Setting, problem: string | null) => {
		if (problem) problems.push({ setting, problem });
	};
	const value = (setting: Setting) => vars[setting]?.trim() || null;

	const adminToken = value("ADMIN_TOKEN");
	report("ADMIN_TOKEN", adminToken ? null : "is not set: nobody can write");
	const secretsKey = value("SECRETS_KEY");
	report("SECRETS_KEY", secretsKey ? secretsKeyProblem(secretsKey) : `is not set: ${NO_SOURCES}`);
	const appUrl = value("APP_URL");
	report("APP_URL", appUrl ? appUrlProblem(appUrl) : `is not set: ${HELD}`);
	const alertFrom = value("ALERT_FROM");
	report("ALERT_FROM", alertFrom ? (ADDRESS.test(alertFrom) && alertFrom.length <= 254 ? null : `is not an email address: ${HELD}`) : `is not set: ${HELD}`);
	const retain = readRetainDays(vars.RETAIN_INCIDENTS_DAYS);
	report("RETAIN_INCIDENTS_DAYS", "problem" in retain ? retain.problem : null);
	return problems;
}

/** "ADMIN_TOKEN is not set: ...; APP_URL must be ...": the problems as one line for logs and records. */
export const describeProblems = (problems: readonly ConfigProblem[]): string => problems.map((p) => `${p.setting} ${p.problem}`).join("; ");
