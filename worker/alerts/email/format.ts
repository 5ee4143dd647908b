import { duration, dueLabel as i18nDue, type Language, LOCALES, langQuery, precisionName, t, timeLeft, translated } from "../../i18n";
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

/** 2.5 → "2.5" / "٢٫٥": a rate with one decimal. */
export const formatDecimal = (lang: Language, v: number) =>
	new Intl.NumberFormat(LOCALES[lang].intl, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(v);

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

/** `due` as people say it in `lang`, for a milestone row. */
export const dueLabel = (lang: Language, m: MilestoneItem["milestone"]) => i18nDue(lang, m.due, m.kind, m.timezone, m.dueAt.getTime());

/** A milestone's precision in words. */
export const precisionLabel = precisionName;

/**
 * Where "Details" and "Status page" lead: the status page in the reader's language (never the
 * JSON API), at the section the item belongs to.
 */
export function statusUrl(appUrl: string, lang: Language, section?: string): string {
	return `${appUrl}/${langQuery(lang)}${section ? `#${section}` : ""}`;
}

/** The status page's section an item is about. */
export function sectionOf(item: EmailItem): string {
	switch (item.kind) {
		case "deadline":
			return "next";
		case "overdue":
			return "overdue";
		case "slip":
			return "slips";
		case "event_day":
		case "outcome_reminder":
			return "awaiting";
		case "surge":
		case "digest":
			return "incidents";
	}
}

/** One line that says what happened, in `lang`: the subject uses it, and each section starts with it. */
export function headline(lang: Language, item: EmailItem, now: Date): string {
	if (item.kind === "surge") return t(lang, "email.surge", { zone: item.zone.name, recent: item.recent, average: formatDecimal(lang, item.weeklyAverage) });
	if (item.kind === "digest") return t(lang, "email.digest", { count: item.total });
	const m = item.milestone;
	const title = translated(lang, m.title, m.titleI18n).text;
	const due = dueLabel(lang, m);
	switch (item.kind) {
		case "deadline":
			return t(lang, "email.deadline", { title, left: timeLeft(lang, m.dueAt.getTime(), now.getTime()) });
		case "overdue":
			return item.offset?.startsWith("-")
				? t(lang, "email.still_open", { title, late: duration(lang, now.getTime() - m.dueAt.getTime()) })
				: t(lang, "email.overdue", { title, due });
		case "slip":
			return t(lang, "email.slip", { title, due });
		case "event_day":
			// A day or an instant is today; a month, quarter or year only begins today.
			return m.precision === "day" || m.precision === "instant" ? t(lang, "email.today", { title, due }) : t(lang, "email.begins_today", { title, due });
		case "outcome_reminder":
			return t(lang, "email.outcome_missing", { title, due });
	}
}
