/**
 * Structured logs: one JSON object per line, which Workers Logs indexes field by field (filter on
 * `event`, `outcome`, `job`...). Callers pass what is safe to keep: never a secret, never an
 * email body, never a request body.
 */

/** A log field's value: flat, so every field can be filtered on by name. */
export type LogValue = string | number | boolean | null;

/** Logs `{"event": event, ...fields}` as one line. */
export function logEvent(event: string, fields: Record<string, LogValue> & { event?: never }): void {
	console.log(JSON.stringify({ event, ...fields }));
}
