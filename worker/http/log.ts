/**
 * One structured log line: a JSON object with the event's name and its fields, which Workers Logs
 * indexes so that each can be filtered on. Fields are values the caller chose to show: never a
 * secret, a signature, a token or a request body.
 */
export function logEvent(event: string, fields: Record<string, string | number | boolean | null>): void {
	console.log(JSON.stringify({ event, ...fields }));
}
