// An alert email in the subscriber's language: subject, text and HTML (with lang and dir), links
// to the page rather than the JSON API, and user text of any script given back byte for byte.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { composeEmail } from "../../worker/alerts/email/compose";
import type { EmailInput, EmailItem } from "../../worker/alerts/email/types";
import type { MilestoneRow } from "../../worker/db/schema";
import { LANGUAGES, type Language } from "../../worker/i18n";
import { confirmationEmail } from "../../worker/subscribers/optin-email";
import { ConfirmPage } from "../../worker/subscribers/optin-pages";
import { fromMarkup, mixedText } from "../support/mixed-text";
import { insertPage } from "../support/pages";
import { propertyRuns } from "../support/runs";

const DAY = 86_400_000;
const DUE = Date.UTC(2032, 5, 30, 21);
const NOW = new Date(DUE - 6 * DAY);

const milestone = (over: Partial<MilestoneRow> = {}): MilestoneRow => ({
	id: 7,
	slug: "withdrawal",
	title: "Coalition withdrawal",
	titleI18n: { ar: "انسحاب التحالف", ckb: "کشانەوەی هاوپەیمانی" },
	description: "",
	tags: ["iraq"],
	kind: "deadline",
	due: "2032-06",
	precision: "month",
	timezone: "Asia/Baghdad",
	dueAt: new Date(DUE),
	status: "scheduled",
	alertOffsets: ["P7D"],
	sourceUrl: null,
	slipCount: 2,
	sequence: 1,
	nextCheckAt: null,
	outcome: null,
	outcomeNote: null,
	outcomeSourceUrl: null,
	outcomeAt: null,
	createdAt: new Date(DUE - 90 * DAY),
	updatedAt: new Date(DUE - 10 * DAY),
	...over,
});

const deadline = (m: MilestoneRow = milestone()): EmailItem => ({ kind: "deadline", alertId: 1, offset: "P7D", milestone: m, revisions: [], incidents: [] });
const digest: EmailItem = {
	kind: "digest",
	since: new Date(NOW.getTime() - DAY),
	until: NOW,
	total: 3,
	byZone: [{ zone: "Wadi Hauran", types: [{ type: "Battles", count: 3 }] }],
	upcoming: [milestone()],
};

const email = (language: Language, items: EmailItem[] = [deadline()]) =>
	composeEmail({
		from: "vigil@example.org",
		to: "desk@example.org",
		appUrl: "https://vigil.test",
		unsubscribeUrl: "https://vigil.test/unsubscribe/abcdefghijklmnopqrstuvwxyz",
		now: NOW,
		language,
		items,
	} satisfies EmailInput);

describe("alert email languages", () => {
	it("is written in English by default, with Details on the status page, not the JSON API", () => {
		const m = email("en");
		expect(m.subject).toBe("[Vigil] Coalition withdrawal: due in 6 days");
		expect(m.text).toContain("Moved 2 times:");
		expect(m.text).toContain("Details: https://vigil.test/#next");
		expect(m.html).toContain('<html lang="en" dir="ltr">');
		expect(m.html).toContain('<body lang="en" dir="ltr"');
		expect(m.html).toContain('<a href="https://vigil.test/#next">Details</a>');
		expect(m.html).not.toContain("/api/milestones/");
		expect(m.text).not.toContain("/api/milestones/withdrawal");
	});

	it("is written in Arabic: subject, text and a right-to-left HTML body, the translated title, Arabic-Indic digits", () => {
		const m = email("ar");
		expect(m.subject).toBe("[Vigil] انسحاب التحالف: يحين الموعد بعد ٦ أيام");
		expect(m.text).toContain("الموعد: بحلول حزيران ٢٠٣٢");
		expect(m.text).toContain("الدقة: شهر");
		expect(m.text).toContain("أُجّل مرتين:");
		expect(m.text).toContain("التفاصيل: https://vigil.test/?lang=ar#next");
		expect(m.text).toContain("صفحة الحالة: https://vigil.test/?lang=ar");
		expect(m.text).not.toMatch(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
		expect(m.html).toContain('<html lang="ar-IQ" dir="rtl">');
		expect(m.html).toContain('<body lang="ar-IQ" dir="rtl"');
		expect(m.html).toContain('<a href="https://vigil.test/?lang=ar#next">التفاصيل</a>');
		expect(m.html).not.toMatch(/>Due<|>Details<|Time left/);
	});

	it("is written in Sorani, right to left", () => {
		const m = email("ckb");
		expect(m.subject).toBe("[Vigil] کشانەوەی هاوپەیمانی: وادەکەی ٦ ڕۆژ ماوە");
		expect(m.text).toContain("وادە: تا کۆتایی حوزەیران ٢٠٣٢");
		expect(m.text).toContain("٢ جار دواخراوە:");
		expect(m.html).toContain('<body lang="ckb-IQ" dir="rtl"');
		expect(m.html).toContain(">وردەکاری</a>");
	});

	it("writes the digest's fixed text and the '+ more' of the subject in the language", () => {
		expect(email("en", [digest, deadline()]).subject).toBe("[Vigil] Coalition withdrawal: due in 6 days (+1 more)");
		const ar = email("ar", [digest]);
		expect(ar.subject).toBe("[Vigil] الملخص اليومي، حوادث جديدة: ٣");
		expect(ar.text).toContain("المواعيد النهائية القادمة:");
		expect(ar.text).toContain("  Wadi Hauran: ٣ Battles");
		expect(ar.text).toContain("انسحاب التحالف: بحلول حزيران ٢٠٣٢ (بعد ٦ أيام)");
		expect(email("ar", [digest, deadline()]).subject).toBe("[Vigil] انسحاب التحالف: يحين الموعد بعد ٦ أيام (+١ أخرى)");
	});

	it("gives any mix of Arabic, Kurdish and Latin user text back byte for byte in the HTML part and the text part", () => {
		fc.assert(
			fc.property(mixedText, fc.constantFrom(...LANGUAGES), (title, lang) => {
				const m = email(lang, [deadline(milestone({ title, titleI18n: null }))]);
				const shown = /<h2[^>]*>([^<]*)<\/h2>/.exec(m.html ?? "")?.[1] ?? "";
				const headline = fromMarkup(shown);
				expect(headline.startsWith(`${title}: `)).toBe(true);
				expect(m.text).toContain(`== ${title}: `);
			}),
			{ numRuns: propertyRuns(200) },
		);
	});
});

describe("double opt-in email languages", () => {
	it("asks in the page's language, with the translated page title", async () => {
		const page = await insertPage({ title: "Badia watch", titleI18n: { ar: "مراقبة البادية" }, language: "ar" });
		const m = confirmationEmail({ from: "vigil@example.org", to: "a@example.org", appUrl: "https://vigil.test", token: "tok", page });
		expect(m.subject).toBe("[Vigil] أكّد اشتراكك في مراقبة البادية");
		expect(m.text).toContain("«مراقبة البادية»");
		expect(m.html).toContain('<body lang="ar-IQ" dir="rtl">');
		expect(m.html).toContain(">تأكيد الاشتراك</a>");
		const en = confirmationEmail({
			from: "vigil@example.org",
			to: "a@example.org",
			appUrl: "https://vigil.test",
			token: "tok",
			page: { ...page, language: "en" },
		});
		expect(en.subject).toBe("[Vigil] Confirm your subscription to Badia watch");
	});
});

describe("opt-in pages languages", () => {
	it("asks and answers in the page's language, right to left", () => {
		const ask = (<ConfirmPage nonce="n" lang="ckb" email="a@example.org" page="چاودێری بادیە" action="/confirm/t" done={false} />).toString();
		expect(ask).toContain('<html lang="ckb-IQ" dir="rtl">');
		// The font stack's quotes stay CSS, not entities.
		expect(ask).toContain('"Noto Sans Arabic"');
		expect(ask).toContain("ئاگادارکردنەوەکانی Vigil دەربارەی «چاودێری بادیە» بۆ a@example.org بنێردرێن؟");
		expect(ask).toContain('<button type="submit">پشتڕاستکردنەوە</button>');
		const done = (<ConfirmPage nonce="n" lang="ar" email="a@example.org" page="مراقبة البادية" action="" done />).toString();
		expect(done).toContain("اشترك a@example.org في «مراقبة البادية».");
	});
});
