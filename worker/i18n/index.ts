/**
 * Vigil in three languages (en, ar, ckb). Everything a page, an email, a chat message or a feed
 * writes for people goes through here:
 *
 *   t(lang, "status.next_heading")                 a message without parameters
 *   t(lang, "duration.days", { count: 3 })         with its parameters, typed by en.ts
 *   rich(lang, "status.slip", { title: <b/>, … })  the same, as pieces, for markup (JSX nodes kept)
 *   messages(lang)                                 the whole catalogue
 *   LOCALES[lang]                                  <html lang> tag, dir, the Intl tag
 *   dueLabel / duration / timeLeft / instant       dates and countdowns in the language's words and digits
 *   translated(lang, title, title_i18n)            a user's title in the reader's language, or the original
 *
 * A new message: add its key to en.ts (a string, or a function of typed parameters), then to
 * ar.ts and ckb.ts (tsc insists), and use it as a whole literal key so the catalogue test sees it.
 */
import type { Translations } from "../db/schema";
import { type MilestoneKind, type Precision, parseDue } from "../time/due";
import { wallTimeAt } from "../time/timezone";
import { ar } from "./ar";
import { ckb } from "./ckb";
import { type Catalogue, en } from "./en";
import { formatClock, formatDay, formatDigits, formatMonth } from "./format";
import { type Language, LOCALES } from "./locale";

export { formatDay, formatDigits, formatMonth, formatNumber, formatPercent } from "./format";
export { isLanguage, LANGUAGES, type Language, LOCALES, langQuery, PLURAL_CATEGORIES } from "./locale";
export type { Catalogue };

const CATALOGUES: Record<Language, Catalogue> = { en, ar, ckb };

export type MessageKey = keyof Catalogue;
type Params<K extends MessageKey> = Catalogue[K] extends (p: infer P) => string ? P : never;
type Args<K extends MessageKey> = Catalogue[K] extends (p: infer P) => string ? [params: P] : [];

/** The whole catalogue of a language. */
export const messages = (lang: Language): Catalogue => CATALOGUES[lang];

/** One message in `lang`, with its parameters when it takes any. */
export function t<K extends MessageKey>(lang: Language, key: K, ...args: Args<K>): string {
	const message = CATALOGUES[lang][key] as string | ((p: unknown) => string);
	return typeof message === "string" ? message : message(args[0]);
}

// Private-use characters mark where a node goes: no catalogue text and no parameter uses them.
const OPEN = "\uE000";
const CLOSE = "\uE001";
const SLOT = /\uE000(\d+)\uE001/;

/**
 * A message as pieces for markup: a string parameter may be given as a node (an element), which
 * comes back in its place, in the order the language puts it. Text parameters stay text.
 */
export function rich<K extends MessageKey, N>(
	lang: Language,
	key: K,
	params: { [P in keyof Params<K>]: Params<K>[P] extends string ? string | N : Params<K>[P] },
): (string | N)[] {
	const nodes: N[] = [];
	const flat = Object.fromEntries(
		Object.entries(params as Record<string, unknown>).map(([k, v]) => {
			if (typeof v === "string" || typeof v === "number") return [k, v];
			nodes.push(v as N);
			return [k, `${OPEN}${nodes.length - 1}${CLOSE}`];
		}),
	);
	const text = (CATALOGUES[lang][key] as (p: unknown) => string)(flat);
	return text.split(SLOT).flatMap<string | N>((part, i) => (i % 2 === 1 ? [nodes[Number(part)] as N] : part === "" ? [] : [part]));
}

/** `due` the way people say it in `lang`: "by September 2025", "بحلول أيلول ٢٠٢٥", "on 11 November 2025". */
export function dueLabel(lang: Language, dueText: string, kind: MilestoneKind, timeZone: string, dueAtMs: number): string {
	const due = parseDue(dueText);
	const deadline = kind === "deadline";
	switch (due.precision) {
		case "year": {
			const year = formatDigits(lang, due.year);
			return deadline ? t(lang, "due.by_year", { year }) : t(lang, "due.in_year", { year });
		}
		case "quarter": {
			const p = { quarter: formatDigits(lang, due.quarter), year: formatDigits(lang, due.year) };
			return deadline ? t(lang, "due.by_quarter", p) : t(lang, "due.in_quarter", p);
		}
		case "month": {
			const month = formatMonth(lang, due.year, due.month);
			return deadline ? t(lang, "due.by_month", { month }) : t(lang, "due.in_month", { month });
		}
		case "day": {
			const date = formatDay(lang, due.year, due.month, due.day);
			return deadline ? t(lang, "due.by_day", { date }) : t(lang, "due.on_day", { date });
		}
		case "instant": {
			const date = instant(lang, dueAtMs, timeZone);
			return deadline ? t(lang, "due.by_day", { date }) : t(lang, "due.on_day", { date });
		}
	}
}

/** A `due`'s precision in words: "month", "شهر", "مانگ". */
export function precisionName(lang: Language, precision: Precision): string {
	switch (precision) {
		case "year":
			return t(lang, "email.precision_year");
		case "quarter":
			return t(lang, "email.precision_quarter");
		case "month":
			return t(lang, "email.precision_month");
		case "day":
			return t(lang, "email.precision_day");
		case "instant":
			return t(lang, "email.precision_instant");
	}
}

/** The period a `due` names, without "by" or "on": "September 2025", "Q3 2025", "١١ تشرين الثاني ٢٠٢٥". */
export function period(lang: Language, dueText: string, timeZone: string, dueAtMs: number): string {
	const due = parseDue(dueText);
	switch (due.precision) {
		case "year":
			return formatDigits(lang, due.year);
		case "quarter":
			return t(lang, "due.quarter", { quarter: formatDigits(lang, due.quarter), year: formatDigits(lang, due.year) });
		case "month":
			return formatMonth(lang, due.year, due.month);
		case "day":
			return formatDay(lang, due.year, due.month, due.day);
		case "instant":
			return instant(lang, dueAtMs, timeZone);
	}
}

/** An instant as a wall-clock date and time in `timeZone`: "30 September 2025, 21:00 UTC". */
export function instant(lang: Language, ms: number, timeZone = "UTC"): string {
	const w = wallTimeAt(ms, timeZone);
	return t(lang, "due.at_instant", { date: formatDay(lang, w.year, w.month, w.day), time: formatClock(lang, w.hour, w.minute), zone: timeZone });
}

/** A length of time in the two largest units: "12 days 4 hours", "٣ ساعات و٥ دقائق". */
export function duration(lang: Language, ms: number): string {
	const total = Math.floor(Math.abs(ms) / 60_000);
	const [d, h, m] = [Math.floor(total / 1440), Math.floor((total % 1440) / 60), total % 60];
	const pair = (first: string, n: number, second: () => string) => (n > 0 ? t(lang, "duration.join", { first, second: second() }) : first);
	if (d > 0) return pair(t(lang, "duration.days", { count: d }), h, () => t(lang, "duration.hours", { count: h }));
	if (h > 0) return pair(t(lang, "duration.hours", { count: h }), m, () => t(lang, "duration.minutes", { count: m }));
	return t(lang, "duration.minutes", { count: m });
}

/** "in 12 days 4 hours" before the due time, "overdue by 3 days" after it. */
export function timeLeft(lang: Language, dueAtMs: number, nowMs: number): string {
	const time = duration(lang, dueAtMs - nowMs);
	return dueAtMs >= nowMs ? t(lang, "countdown.future", { time }) : t(lang, "countdown.past", { time });
}

/**
 * A user's title in the reader's language: its translation when there is one, else the original
 * with the language it is written in (`title` is written in English), so markup can mark it.
 */
export function translated(lang: Language, original: string, translations: Translations | null | undefined): { text: string; lang: string | undefined } {
	const text = lang === "en" ? undefined : translations?.[lang];
	if (text) return { text, lang: undefined };
	return { text: original, lang: lang === "en" ? undefined : "en" };
}

/** `<html lang dir>` for a page in `lang`. */
export const htmlAttributes = (lang: Language) => ({ lang: LOCALES[lang].tag, dir: LOCALES[lang].dir });

/**
 * System fonts only (no font is fetched from anywhere): the platform's UI font, then faces that
 * carry Arabic script on Windows, Android/Linux and older systems.
 */
export const FONT_STACK = 'system-ui,"Segoe UI","Noto Sans Arabic","Noto Naskh Arabic",Tahoma,sans-serif';
