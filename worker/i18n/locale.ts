// The languages Vigil speaks and what Intl needs to write them. Measured in workerd (see
// test/i18n/locale.test.ts): its ICU has ar-IQ (Iraqi month names such as "أيلول",
// Arabic-Indic digits) but no Central Kurdish data at all: "ckb" falls back to en-US. So ckb
// borrows ar-IQ's digits and separators (CLDR gives ckb the same "arab" numbering system) and
// takes its month names from CLDR's ckb calendar, written out below.
import { PAGE_LANGUAGES } from "../db/schema";

/** Every language a page, and later a subscriber or a channel, can be written in. */
export const LANGUAGES = PAGE_LANGUAGES;
export type Language = (typeof LANGUAGES)[number];

export const isLanguage = (value: unknown): value is Language => typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);

/** The query that opens one of Vigil's pages in `lang` from a link in a message: none for English, the pages' default. */
export const langQuery = (lang: Language): string => (lang === "en" ? "" : `?lang=${lang}`);

/**
 * The plural categories each language's messages must give (CLDR): Arabic has six; Sorani, like
 * English, tells one from other. The catalogue types require exactly these, so a missing form fails tsc.
 */
export const PLURAL_CATEGORIES = {
	en: ["one", "other"],
	ar: ["zero", "one", "two", "few", "many", "other"],
	ckb: ["one", "other"],
} as const satisfies Record<Language, readonly Intl.LDMLPluralRule[]>;

export type PluralForms<L extends Language> = Record<(typeof PLURAL_CATEGORIES)[L][number], string>;

export interface LocaleInfo {
	/** The BCP 47 tag written in `<html lang>`. */
	tag: string;
	dir: "ltr" | "rtl";
	/** The tag Intl formats numbers and dates with (it may differ from `tag` where ICU lacks data). */
	intl: string;
	/** The tag Intl.PluralRules selects with. */
	plural: string;
	/** Month names when Intl has none for this language; null: Intl's own. */
	months: readonly string[] | null;
	/** The language's own name, for a language switcher. */
	name: string;
}

export const LOCALES: Record<Language, LocaleInfo> = {
	en: { tag: "en", dir: "ltr", intl: "en-GB", plural: "en", months: null, name: "English" },
	ar: { tag: "ar-IQ", dir: "rtl", intl: "ar-IQ", plural: "ar", months: null, name: "العربية" },
	ckb: {
		tag: "ckb-IQ",
		dir: "rtl",
		intl: "ar-IQ",
		// Sorani's rule is English's (one: n = 1); workerd's fallback for "ckb" is en-US, which has it.
		plural: "ckb",
		months: ["کانوونی دووەم", "شوبات", "ئازار", "نیسان", "ئایار", "حوزەیران", "تەمووز", "ئاب", "ئەیلوول", "تشرینی یەکەم", "تشرینی دووەم", "کانوونی یەکەم"],
		name: "کوردی",
	},
};

const pluralRules = new Map<Language, Intl.PluralRules>();

/** The category of `n` in `lang`, narrowed to the forms that language's messages give. */
export function pluralCategory<L extends Language>(lang: L, n: number): keyof PluralForms<L> {
	let rules = pluralRules.get(lang);
	if (!rules) {
		rules = new Intl.PluralRules(LOCALES[lang].plural);
		pluralRules.set(lang, rules);
	}
	const category = rules.select(n);
	const known: readonly string[] = PLURAL_CATEGORIES[lang];
	return (known.includes(category) ? category : "other") as keyof PluralForms<L>;
}
