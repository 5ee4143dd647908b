/**
 * Wall-clock time in IANA zones, on top of Intl (full ICU in workerd). No library: the whole
 * job is "which UTC instant shows this wall time in that zone", which Intl answers in a few lines.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
	let f = formatters.get(timeZone);
	if (!f) {
		f = new Intl.DateTimeFormat("en-US", {
			timeZone,
			hourCycle: "h23",
			year: "numeric",
			month: "numeric",
			day: "numeric",
			hour: "numeric",
			minute: "numeric",
			second: "numeric",
		});
		formatters.set(timeZone, f);
	}
	return f;
}

/** The canonical IANA name for a zone, or null when Intl does not know it. */
export function canonicalTimeZone(name: string): string | null {
	if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(name)) return null;
	try {
		return new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
	} catch {
		return null;
	}
}

export interface WallTime {
	year: number;
	/** 1-12 */
	month: number;
	day: number;
	hour: number;
	minute: number;
	second: number;
}

/** The wall-clock reading of an instant in a zone. */
export function wallTimeAt(epochMs: number, timeZone: string): WallTime {
	const parts: Record<string, number> = {};
	for (const p of formatter(timeZone).formatToParts(new Date(epochMs))) {
		if (p.type !== "literal") parts[p.type] = Number(p.value);
	}
	return {
		year: parts.year ?? 0,
		month: parts.month ?? 1,
		day: parts.day ?? 1,
		hour: parts.hour ?? 0,
		minute: parts.minute ?? 0,
		second: parts.second ?? 0,
	};
}

/** The zone's UTC offset at an instant, in milliseconds (east positive). */
export function offsetAt(epochMs: number, timeZone: string): number {
	const w = wallTimeAt(epochMs, timeZone);
	const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
	return asUtc - (epochMs - (((epochMs % 1000) + 1000) % 1000));
}

const DAY_MS = 86_400_000;

/**
 * The UTC instant at which `timeZone` shows `wall`, with Temporal's "compatible" rule: a time
 * repeated by a backward shift takes the earlier instant; a time skipped by a forward shift
 * (midnight in zones that spring forward at 00:00) is read with the offset before the shift,
 * which lands just after the gap.
 */
export function zonedTimeToUtc(wall: WallTime, timeZone: string): number {
	const local = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
	// UTC has no offset to look up (every incident date is read in UTC: formatToParts is not cheap).
	if (timeZone === "UTC") return local;
	const before = offsetAt(local - DAY_MS, timeZone);
	const after = offsetAt(local + DAY_MS, timeZone);
	const candidates = [local - before, local - after].filter((t) => local - offsetAt(t, timeZone) === t);
	if (candidates.length > 0) return Math.min(...candidates);
	return local - before;
}
