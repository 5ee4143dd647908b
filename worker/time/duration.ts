/** ISO 8601 durations for alert offsets ("P30D", "P1W", "PT6H", "PT0S"), as milliseconds. */

const DURATION = /^P(?!$)(?:(\d+)W)?(?:(\d+)D)?(?:T(?!$)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;
const MAX_MS = 366 * 86_400_000;

export class DurationError extends Error {}

/** Parses a fixed-length ISO 8601 duration; years and months are refused (they vary in length). */
export function parseDuration(text: string): number {
	if (/^P(\d+Y|\d+M)/.test(text) || /^P[^T]*\d+[YM]/.test(text)) {
		throw new DurationError(`"${text}": years and months vary in length; give the offset in weeks, days or hours (P30D)`);
	}
	const m = DURATION.exec(text);
	if (!m) throw new DurationError(`"${text}" is not an ISO 8601 duration such as P30D, P1W or PT6H`);
	const [w, d, h, min, s] = [1, 2, 3, 4, 5].map((i) => Number(m[i] ?? 0)) as [number, number, number, number, number];
	const ms = ((((w * 7 + d) * 24 + h) * 60 + min) * 60 + s) * 1000;
	if (ms > MAX_MS) throw new DurationError(`"${text}" is longer than a year`);
	return ms;
}

/** A positive duration in ms as ISO 8601 (days when whole days, else seconds). */
export function formatDuration(ms: number): string {
	if (ms % 86_400_000 === 0) return `P${ms / 86_400_000}D`;
	return `PT${Math.round(ms / 1000)}S`;
}

/** Offsets sorted from the longest to the shortest, duplicates (by length) removed. */
export function normalizeOffsets(offsets: readonly string[]): string[] {
	const byMs = new Map<number, string>();
	for (const o of offsets) {
		const ms = parseDuration(o);
		if (!byMs.has(ms)) byMs.set(ms, o);
	}
	return [...byMs.entries()].sort((a, b) => b[0] - a[0]).map(([, o]) => o);
}

export const DEFAULT_OFFSETS = ["P30D", "P7D", "P1D", "PT0S"] as const;
