// Dates, numbers and countdowns in each language, and what workerd's ICU gives them (measured
// here, since the fallbacks in worker/i18n/locale.ts depend on it).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dueLabel, duration, formatDigits, formatNumber, formatPercent, LOCALES, period, t, timeLeft } from "../../worker/i18n";
import { monthName } from "../../worker/i18n/format";
import { propertyRuns } from "../support/runs";

const ARABIC_INDIC = /^[\u0660-\u0669]+$/;
const DAY = 86_400_000;

describe("workerd's ICU", () => {
	it("has ar-IQ, with Arabic-Indic digits and the Iraqi month names", () => {
		expect(Intl.DateTimeFormat.supportedLocalesOf(["ar-IQ"])).toEqual(["ar-IQ"]);
		expect(new Intl.NumberFormat("ar-IQ").resolvedOptions().numberingSystem).toBe("arab");
		expect(new Intl.DateTimeFormat("ar-IQ", { month: "long", timeZone: "UTC" }).format(Date.UTC(2025, 8, 15))).toBe("أيلول");
	});

	it("has no Central Kurdish data, which is why ckb borrows ar-IQ's digits and CLDR's month names", () => {
		expect(Intl.DateTimeFormat.supportedLocalesOf(["ckb", "ckb-IQ"])).toEqual([]);
		expect(LOCALES.ckb.intl).toBe("ar-IQ");
		expect(monthName("ckb", 9)).toBe("ئەیلوول");
	});
});

describe("month precision and other due dates", () => {
	const sept = Date.parse("2025-09-30T21:00:00Z");
	it("reads naturally in each language, with the locale's digits", () => {
		expect(dueLabel("en", "2025-09", "deadline", "Asia/Baghdad", sept)).toBe("by September 2025");
		expect(dueLabel("ar", "2025-09", "deadline", "Asia/Baghdad", sept)).toBe("بحلول أيلول ٢٠٢٥");
		expect(dueLabel("ckb", "2025-09", "deadline", "Asia/Baghdad", sept)).toBe("تا کۆتایی ئەیلوول ٢٠٢٥");
		expect(dueLabel("en", "2025-09", "event", "Asia/Baghdad", sept)).toBe("in September 2025");
		expect(dueLabel("ar", "2025-11", "event", "UTC", 0)).toBe("في تشرين الثاني ٢٠٢٥");
	});

	it("writes quarters, years, days and instants", () => {
		expect(dueLabel("en", "2025-Q3", "deadline", "UTC", 0)).toBe("by the end of Q3 2025");
		expect(dueLabel("ar", "2025-Q3", "event", "UTC", 0)).toBe("في الربع ٣ من ٢٠٢٥");
		expect(dueLabel("ckb", "2026", "deadline", "UTC", 0)).toBe("تا کۆتایی ٢٠٢٦");
		expect(dueLabel("en", "2025-11-11", "event", "Asia/Baghdad", 0)).toBe("on 11 November 2025");
		expect(dueLabel("ar", "2025-11-11", "event", "Asia/Baghdad", 0)).toBe("في ١١ تشرين الثاني ٢٠٢٥");
		const at = Date.parse("2025-10-01T06:30:00Z");
		expect(dueLabel("en", "2025-10-01T09:30:00+03:00", "event", "Asia/Baghdad", at)).toBe("on 1 October 2025, 09:30 Asia/Baghdad");
		expect(period("en", "2025-Q4", "UTC", 0)).toBe("Q4 2025");
		expect(period("ckb", "2025-03", "UTC", 0)).toBe("ئازار ٢٠٢٥");
	});

	it("names every month of every language, and never an English one in Arabic script pages", () => {
		for (const lang of ["ar", "ckb"] as const) {
			for (let m = 1; m <= 12; m++) expect(monthName(lang, m)).toMatch(/^[\u0600-\u06FF ]+$/);
		}
	});
});

describe("numbers and countdowns", () => {
	it("writes any count in Arabic-Indic digits in ar and ckb, and reads back to the same number", () => {
		fc.assert(
			fc.property(fc.nat({ max: 10_000_000 }), (n) => {
				for (const lang of ["ar", "ckb"] as const) {
					const digits = formatDigits(lang, n);
					expect(digits).toMatch(ARABIC_INDIC);
					expect(Number([...digits].map((c) => (c.codePointAt(0) ?? 0) - 0x0660).join(""))).toBe(n);
				}
				expect(formatDigits("en", n)).toBe(String(n));
			}),
			{ numRuns: propertyRuns(200) },
		);
	});

	it("says the count and the share: a share of 2 in 525 is not 0%", () => {
		expect(formatPercent("en", 2 / 525)).toBe("0.4%");
		expect(formatPercent("ar", 2 / 525)).toContain("٠٫٤");
		expect(t("en", "status.verified", { verified: "2", total: 525, share: "0.4%", weeks: 12 })).toBe("2 of 525 verified (0.4%) in the last 12 weeks");
		expect(formatNumber("ar", 1234)).toBe("١٬٢٣٤");
	});

	it("uses Arabic's six plural forms", () => {
		expect([0, 1, 2, 3, 11, 100].map((count) => t("ar", "duration.days", { count }))).toEqual(["٠ يوم", "يوم واحد", "يومان", "٣ أيام", "١١ يومًا", "١٠٠ يوم"]);
	});

	it("counts down before the due time and says overdue after it, never 'by … ago'", () => {
		const due = Date.UTC(2030, 0, 1);
		expect(timeLeft("en", due, due - 12 * DAY - 4 * 3_600_000)).toBe("in 12 days 4 hours");
		expect(timeLeft("en", due, due + 62 * DAY + 11 * 3_600_000)).toBe("overdue by 62 days 11 hours");
		expect(timeLeft("ar", due, due - 3 * 3_600_000 - 5 * 60_000)).toBe("بعد ٣ ساعات و٥ دقائق");
		expect(timeLeft("ckb", due, due + DAY)).toBe("١ ڕۆژ دواکەوتووە");
		expect(duration("en", 60_000)).toBe("1 minute");
	});
});
