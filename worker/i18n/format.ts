// Numbers, plurals and calendar words in a language, through Intl where workerd's ICU has the
// data and through LOCALES where it has not (ckb). Dates are composed here from wall-clock
// fields (time/timezone.ts), so every language reads "day month year" the same way and the
// time zone is the milestone's, not the reader's.
import { type Language, LOCALES, type PluralForms, pluralCategory } from "./locale";

const cache = new Map<string, Intl.NumberFormat>();
function numberFormat(lang: Language, options: Intl.NumberFormatOptions): Intl.NumberFormat {
	const key = `${lang}:${JSON.stringify(options)}`;
	let f = cache.get(key);
	if (!f) {
		f = new Intl.NumberFormat(LOCALES[lang].intl, options);
		cache.set(key, f);
	}
	return f;
}

/** 1234 → "1,234" / "١٬٢٣٤". */
export const formatNumber = (lang: Language, n: number) => numberFormat(lang, {}).format(n);

/** A digit run without grouping: years, days of the month ("2025", "٢٠٢٥"). */
export const formatDigits = (lang: Language, n: number, minimumIntegerDigits = 1) => numberFormat(lang, { useGrouping: false, minimumIntegerDigits }).format(n);

/** A share 0-1 as a percentage with at most one decimal ("0.4%", "٠٫٤٪"). */
export const formatPercent = (lang: Language, share: number) => numberFormat(lang, { style: "percent", maximumFractionDigits: 1 }).format(share);

/** The form of `forms` that `n` takes in `lang`, with `#` replaced by `n` written in that language. */
export function plural<L extends Language>(lang: L, n: number, forms: PluralForms<L>): string {
	return forms[pluralCategory(lang, n)].replaceAll("#", formatNumber(lang, n));
}

const monthNames = new Map<Language, readonly string[]>();
/** The name of month 1-12: Intl's for en and ar-IQ (the Iraqi names, "أيلول"), CLDR's for ckb. */
export function monthName(lang: Language, month: number): string {
	let names = monthNames.get(lang);
	if (!names) {
		const f = new Intl.DateTimeFormat(LOCALES[lang].intl, { month: "long", timeZone: "UTC" });
		names = LOCALES[lang].months ?? Array.from({ length: 12 }, (_, i) => f.format(Date.UTC(2000, i, 15)));
		monthNames.set(lang, names);
	}
	return names[month - 1] ?? String(month);
}

/** "September 2025" / "أيلول ٢٠٢٥" / "ئەیلوول ٢٠٢٥". */
export const formatMonth = (lang: Language, year: number, month: number) => `${monthName(lang, month)} ${formatDigits(lang, year)}`;

/** "11 November 2025" / "١١ تشرين الثاني ٢٠٢٥". */
export const formatDay = (lang: Language, year: number, month: number, day: number) => `${formatDigits(lang, day)} ${formatMonth(lang, year, month)}`;

/** "21:00" / "٢١:٠٠": a 24-hour clock, the way Iraqi timetables write it too. */
export const formatClock = (lang: Language, hour: number, minute: number, second?: number) =>
	[hour, minute, ...(second === undefined ? [] : [second])].map((n) => formatDigits(lang, n, 2)).join(":");
