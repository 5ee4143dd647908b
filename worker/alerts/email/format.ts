import { describeDue, describeDuration, describeTimeLeft } from "../../time/due";
import { wallTimeAt } from "../../time/timezone";
import type { EmailItem, MilestoneItem } from "./types";

const pad = (n: number) => String(n).padStart(2, "0");

/** "2025-10-01 00:00 Asia/Baghdad" */
export function localTime(ms: number, timeZone: string): string {
	const w = wallTimeAt(ms, timeZone);
	return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)} ${timeZone}`;
}

/** "2025-09-30 21:00 UTC" */
export const utcTime = (d: Date) => `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;

/** Control characters out, length bounded: for anything that ends up in a header (the subject). */
export const headerSafe = (s: string, max = 120) => {
	const flat = s
		.replace(/[\p{Cc}\u2028\u2029]+/gu, " ")
		.replace(/\s+/g, " ")
		.trim();
	return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

/** Most urgent first: overdue and events of the day or awaiting their outcome, then deadlines by time left, slips, surges, the digest. */
export function urgency(item: EmailItem): [number, number] {
	switch (item.kind) {
		case "overdue":
		case "event_day":
		case "outcome_reminder":
			return [0, item.milestone.dueAt.getTime()];
		case "deadline":
			return [1, item.milestone.dueAt.getTime()];
		case "slip":
			return [2, item.milestone.dueAt.getTime()];
		case "surge":
			return [3, -item.recent];
		case "digest":
			return [4, 0];
	}
}

/** `due` as people say it, for a milestone row. */
export const dueLabel = (m: MilestoneItem["milestone"]) => describeDue(m.due, m.kind, m.timezone, m.dueAt.getTime());

/** What an outcome reminder asks for, in every format. */
export const OUTCOME_HINT = "Its outcome is not recorded yet: record it (met, missed, held or postponed) with POST /api/milestones/{id}/outcome.";

/** One line that says what happened: the subject uses it, and each section starts with it. */
export function headline(item: EmailItem, now: Date): string {
	switch (item.kind) {
		case "deadline":
			return `${item.milestone.title}: due ${describeTimeLeft(item.milestone.dueAt.getTime(), now.getTime())}`;
		case "overdue": {
			const late = describeDuration(now.getTime() - item.milestone.dueAt.getTime());
			return item.offset?.startsWith("-")
				? `${item.milestone.title}: still open, ${late} past due`
				: `${item.milestone.title}: overdue (due ${dueLabel(item.milestone)})`;
		}
		case "slip":
			return `${item.milestone.title}: moved, now due ${dueLabel(item.milestone)}`;
		case "event_day": {
			// A day or an instant is today; a month, quarter or year only begins today.
			const day = item.milestone.precision === "day" || item.milestone.precision === "instant";
			return `${day ? "Today" : "Begins today"}: ${item.milestone.title} (${dueLabel(item.milestone)})`;
		}
		case "outcome_reminder":
			return `${item.milestone.title}: outcome not yet recorded (${dueLabel(item.milestone)})`;
		case "surge":
			return `Surge in ${item.zone.name}: ${item.recent} incidents in 7 days (weekly average ${item.weeklyAverage.toFixed(1)})`;
		case "digest":
			return `Daily digest: ${item.total} new incident${item.total === 1 ? "" : "s"}`;
	}
}
