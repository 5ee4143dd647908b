/**
 * Structured logs: one object per event, logged as an object (not a string) because that is what
 * Workers Logs indexes field by field (filter on `event`, `outcome`, `job`...; `wrangler tail
 * --format json` shows it as JSON). Callers pass what is safe to keep: never a secret, never an
 * email body, never a request body.
 */

import { DrizzleQueryError } from "drizzle-orm/errors";

/** A log field's value: flat, so every field can be filtered on by name. */
export type LogValue = string | number | boolean | null;

/** Logs `{event, ...fields}` as one structured entry. */
export function logEvent(event: string, fields: Record<string, LogValue> & { event?: never }): void {
	console.log({ event, ...fields });
}

/**
 * The error whose words may be kept. A query drizzle ran fails with its SQL and parameters in its
 * message (addresses, incident text, tokens' hashes): it stands for its cause, the database's own error.
 */
function speaking(e: unknown): unknown {
	return e instanceof DrizzleQueryError ? (e.cause ?? new Error("a D1 query failed")) : e;
}

/** An error as a log line or a cron run's record says it: its kind and message. */
export function describeError(e: unknown): string {
	const s = speaking(e);
	return s instanceof Error ? `${s.name}: ${s.message}` : String(s);
}

/** An error's message alone, as `describeError` keeps it. */
export function errorMessage(e: unknown): string {
	const s = speaking(e);
	return s instanceof Error ? s.message : String(s);
}
