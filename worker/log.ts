/**
 * Structured logs: one object per event, logged as an object (not a string) because that is what
 * Workers Logs indexes field by field (filter on `event`, `outcome`, `job`...; `wrangler tail
 * --format json` shows it as JSON). Callers pass what is safe to keep: never a secret, never an
 * email body, never a request body.
 */

/** A log field's value: flat, so every field can be filtered on by name. */
export type LogValue = string | number | boolean | null;

/** Logs `{event, ...fields}` as one structured entry. */
export function logEvent(event: string, fields: Record<string, LogValue> & { event?: never }): void {
	console.log({ event, ...fields });
}
