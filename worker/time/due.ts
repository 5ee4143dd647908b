import { type WallTime, wallTimeAt, zonedTimeToUtc } from "./timezone";

export type Precision = "year" | "quarter" | "month" | "day" | "instant";
export type MilestoneKind = "deadline" | "event";

/** A `due` as written, read into the period it names (or one instant). */
export type ParsedDue =
	| { precision: "year"; year: number }
	| { precision: "quarter"; year: number; quarter: number }
	| { precision: "month"; year: number; month: number }
	| { precision: "day"; year: number; month: number; day: number }
	/** `epochMs` when the text carried an offset; `wall` (read in the milestone's zone) when not. */
	| { precision: "instant"; epochMs: number | null; wall: WallTime };

export class DueError extends Error {}

function daysInMonth(year: number, month: number): number {
	return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const YEAR = /^(\d{4})$/;
const QUARTER = /^(\d{4})-[Qq]([1-4])$/;
const MONTH = /^(\d{4})-(\d{2})$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?([Zz]|[+-]\d{2}:\d{2})?$/;

function checkDate(year: number, month: number, day: number): void {
	if (year < 1900 || year > 2200) throw new DueError(`year ${year} is outside 1900-2200`);
	if (month < 1 || month > 12) throw new DueError(`month ${month} does not exist`);
	if (day < 1 || day > daysInMonth(year, month)) throw new DueError(`${year}-${String(month).padStart(2, "0")} has no day ${day}`);
}

/** Reads `due` ("2025", "2025-Q3", "2025-09", "2025-11-11" or RFC 3339); throws DueError. */
export function parseDue(due: string): ParsedDue {
	const text = due.trim();
	let m = YEAR.exec(text);
	if (m) {
		const year = Number(m[1]);
		checkDate(year, 1, 1);
		return { precision: "year", year };
	}
	m = QUARTER.exec(text);
	if (m) {
		const year = Number(m[1]);
		checkDate(year, 1, 1);
		return { precision: "quarter", year, quarter: Number(m[2]) };
	}
	m = MONTH.exec(text);
	if (m) {
		const [year, month] = [Number(m[1]), Number(m[2])];
		checkDate(year, month, 1);
		return { precision: "month", year, month };
	}
	m = DAY.exec(text);
	if (m) {
		const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
		checkDate(year, month, day);
		return { precision: "day", year, month, day };
	}
	m = INSTANT.exec(text);
	if (m) {
		const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m?.[i] ?? 0)) as [number, number, number, number, number, number];
		checkDate(year, month, day);
		if (hour > 23 || minute > 59 || second > 59) throw new DueError(`${text} is not a valid time of day`);
		const wall = { year, month, day, hour, minute, second };
		const zone = m[7];
		if (!zone) return { precision: "instant", epochMs: null, wall };
		const offsetMinutes = /^[Zz]$/.test(zone) ? 0 : (zone.startsWith("-") ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
		if (Math.abs(offsetMinutes) > 18 * 60) throw new DueError(`offset ${zone} is out of range`);
		const epochMs = Date.UTC(year, month - 1, day, hour, minute, second) - offsetMinutes * 60_000;
		return { precision: "instant", epochMs, wall };
	}
	throw new DueError(`"${due}" is not a date: use YYYY, YYYY-Qn, YYYY-MM, YYYY-MM-DD or an RFC 3339 date-time`);
}

const midnight = (year: number, month: number, day = 1): WallTime => ({ year, month, day, hour: 0, minute: 0, second: 0 });

/** First local day of the period, and first local day after it. */
function periodBounds(due: Exclude<ParsedDue, { precision: "instant" }>): [WallTime, WallTime] {
	switch (due.precision) {
		case "year":
			return [midnight(due.year, 1), midnight(due.year + 1, 1)];
		case "quarter": {
			const first = (due.quarter - 1) * 3 + 1;
			return [midnight(due.year, first), first + 3 > 12 ? midnight(due.year + 1, 1) : midnight(due.year, first + 3)];
		}
		case "month":
			return [midnight(due.year, due.month), due.month === 12 ? midnight(due.year + 1, 1) : midnight(due.year, due.month + 1)];
		case "day": {
			const next = new Date(Date.UTC(due.year, due.month - 1, due.day + 1));
			return [midnight(due.year, due.month, due.day), midnight(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate())];
		}
	}
}

/**
 * The instant alerts count down to: a deadline is due when its period ends (the first moment
 * after it, local time); an event when its period starts.
 */
export function resolveDueAt(due: ParsedDue, kind: MilestoneKind, timeZone: string): number {
	if (due.precision === "instant") return due.epochMs ?? zonedTimeToUtc(due.wall, timeZone);
	const [start, end] = periodBounds(due);
	return zonedTimeToUtc(kind === "deadline" ? end : start, timeZone);
}

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** `due` the way people say it: "by September 2025", "in Q3 2025", "on 11 November 2025". */
export function describeDue(dueText: string, kind: MilestoneKind, timeZone: string, dueAtMs: number): string {
	const due = parseDue(dueText);
	const deadline = kind === "deadline";
	switch (due.precision) {
		case "year":
			return deadline ? `by the end of ${due.year}` : `in ${due.year}`;
		case "quarter":
			return deadline ? `by the end of Q${due.quarter} ${due.year}` : `in Q${due.quarter} ${due.year}`;
		case "month":
			return `${deadline ? "by" : "in"} ${MONTHS[due.month - 1]} ${due.year}`;
		case "day":
			return `${deadline ? "by" : "on"} ${due.day} ${MONTHS[due.month - 1]} ${due.year}`;
		case "instant": {
			const w = wallTimeAt(dueAtMs, timeZone);
			const hm = `${String(w.hour).padStart(2, "0")}:${String(w.minute).padStart(2, "0")}`;
			return `${deadline ? "by" : "on"} ${w.day} ${MONTHS[w.month - 1]} ${w.year}, ${hm} ${timeZone}`;
		}
	}
}

/** A duration as people read it on a countdown: "12 days 4 hours", "3 hours 5 minutes". */
export function describeDuration(ms: number): string {
	const abs = Math.abs(ms);
	const minutes = Math.floor(abs / 60_000);
	const days = Math.floor(minutes / 1440);
	const hours = Math.floor((minutes % 1440) / 60);
	const mins = minutes % 60;
	const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
	if (days > 0) return hours > 0 ? `${unit(days, "day")} ${unit(hours, "hour")}` : unit(days, "day");
	if (hours > 0) return mins > 0 ? `${unit(hours, "hour")} ${unit(mins, "minute")}` : unit(hours, "hour");
	return unit(mins, "minute");
}

/** "in 12 days 4 hours" or "3 days ago", relative to now. */
export function describeTimeLeft(dueAtMs: number, nowMs: number): string {
	const left = dueAtMs - nowMs;
	return left >= 0 ? `in ${describeDuration(left)}` : `${describeDuration(left)} ago`;
}
