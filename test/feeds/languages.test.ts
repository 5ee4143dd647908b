// The feeds' own words in English, Arabic and Sorani (?lang=, a page's language), and user text of
// any script given back byte for byte in Atom and iCalendar.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { MilestoneRow } from "../../worker/db/schema";
import { incidentsAtom } from "../../worker/feeds/atom";
import { milestonesCalendar } from "../../worker/feeds/ics";
import { milestonesAtom } from "../../worker/feeds/milestone-atom";
import { LANGUAGES } from "../../worker/i18n";
import { call, problem } from "../support/http";
import { insertIncident, insertSource, insertZone } from "../support/incident-rows";
import { fromMarkup, mixedText } from "../support/mixed-text";
import { insertPage } from "../support/pages";
import { propertyRuns } from "../support/runs";

const DAY = 86_400_000;
const NOW = new Date(Date.UTC(2032, 6, 10, 12));

const milestone = (over: Partial<MilestoneRow> = {}): MilestoneRow => ({
	id: 7,
	slug: "withdrawal",
	title: "Coalition withdrawal",
	titleI18n: null,
	description: "",
	tags: [],
	kind: "deadline",
	due: "2032-06",
	precision: "month",
	timezone: "Asia/Baghdad",
	dueAt: new Date(Date.UTC(2032, 5, 30, 21)),
	status: "met",
	alertOffsets: ["P7D", "PT0S"],
	sourceUrl: null,
	slipCount: 2,
	sequence: 1,
	nextCheckAt: null,
	outcome: "held",
	outcomeNote: null,
	outcomeSourceUrl: null,
	outcomeAt: null,
	createdAt: new Date(NOW.getTime() - 90 * DAY),
	updatedAt: new Date(NOW.getTime() - DAY),
	...over,
});

/** iCalendar text as a client reads it: lines unfolded, one property's value unescaped. */
function icsValue(ics: string, name: string): string | undefined {
	const line = ics
		.replace(/\r\n[ \t]/g, "")
		.split("\r\n")
		.find((l) => l.startsWith(`${name}:`));
	return line?.slice(name.length + 1).replace(/\\([\\;,nN])/g, (_, c: string) => (c === "n" || c === "N" ? "\n" : c));
}

describe("feed languages", () => {
	it("the incidents Atom feed writes its title, subtitle and summary labels in the language, and xml:lang", async () => {
		const [zone, source] = await Promise.all([insertZone("Hamrin"), insertSource()]);
		const incident = await insertIncident(source.id, { occurredAt: NOW, zoneId: zone.id, fatalities: 3, actor1: "A", actor2: "B" });
		const items = [{ incident, zone: { slug: zone.slug, name: zone.name } }];
		const atom = (lang: (typeof LANGUAGES)[number]) => incidentsAtom(items, { appUrl: "https://vigil.test", selfUrl: "https://vigil.test/f", now: NOW, lang });
		const en = atom("en");
		expect(en).toContain('xml:lang="en"');
		expect(en).toContain('<title type="text">Vigil: verified incidents</title>');
		expect(en).toContain("Fatalities: 3");
		const ar = atom("ar");
		expect(ar).toContain('xml:lang="ar-IQ"');
		expect(ar).toContain('<title type="text">Vigil: الحوادث المؤكدة</title>');
		expect(ar).toContain("<subtitle>بلاغات الحوادث المؤكدة، الأحدث أولًا.</subtitle>");
		expect(ar).toContain("القتلى: ٣");
		expect(ar).toContain("الأطراف: A / B");
		expect(ar).toContain("المنطقة: Hamrin");
		expect(ar).not.toMatch(/Fatalities|Zone:|Actors:/);
		const ckb = atom("ckb");
		expect(ckb).toContain("کوژراوان: ٣");
		expect(ckb).toContain('<title type="text">Vigil: ڕووداوە پشتڕاستکراوەکان</title>');
	});

	it("the outcomes Atom feed and the calendar say the outcome, the due date and the slips in the language", () => {
		const ar = milestonesAtom([milestone()], { appUrl: "https://vigil.test", now: NOW, lang: "ar" });
		expect(ar).toContain('<title type="text">Vigil: المواعيد ونتائجها</title>');
		expect(ar).toContain('<title type="text">جرى: Coalition withdrawal</title>');
		expect(ar).toContain("موعد نهائي بحلول حزيران ٢٠٣٢.");
		expect(ar).toContain("النتيجة: جرى.");
		expect(ar).toContain("أُجّل مرتين.");
		const en = milestonesAtom([milestone()], { appUrl: "https://vigil.test", now: NOW });
		expect(en).toContain('<title type="text">Held: Coalition withdrawal</title>');
		expect(en).toContain("Outcome: held.");
		const ics = milestonesCalendar([milestone({ status: "scheduled", outcome: null })], "https://vigil.test", NOW, { lang: "ckb" });
		expect(icsValue(ics, "X-WR-CALNAME")).toBe("وادەکانی Vigil");
		expect(icsValue(ics, "DESCRIPTION")).toContain("دوا وادە تا کۆتایی حوزەیران ٢٠٣٢ (وردی: مانگ).");
		expect(icsValue(ics, "DESCRIPTION")).toContain("٢ جار دواخراوە.");
		expect(ics).toContain("Coalition withdrawal: کاتی هات");
		const enIcs = milestonesCalendar([milestone({ status: "scheduled", outcome: null })], "https://vigil.test", NOW);
		expect(icsValue(enIcs, "DESCRIPTION")).toContain("Deadline by June 2032 (month precision).");
	});

	it("takes ?lang= on /feeds/*.atom and /feeds/milestones.ics (a language Vigil lacks is a 400), and a page's feeds speak the page's language", async () => {
		expect(await (await call("/feeds/incidents.atom?lang=ar")).text()).toContain("<subtitle>بلاغات الحوادث المؤكدة، الأحدث أولًا.</subtitle>");
		expect(await (await call("/feeds/milestones.atom?lang=ckb")).text()).toContain('xml:lang="ckb-IQ"');
		expect(icsValue(await (await call("/feeds/milestones.ics?lang=ar")).text(), "X-WR-CALNAME")).toBe("مواعيد Vigil");
		await problem(await call("/feeds/incidents.atom?lang=fr"), 400);
		const page = await insertPage({ title: "Badia watch", titleI18n: { ar: "مراقبة البادية" }, language: "ar" });
		expect(await (await call(`/p/${page.slug}/incidents.atom`)).text()).toContain('<title type="text">Vigil: مراقبة البادية، الحوادث المؤكدة</title>');
		expect(await (await call(`/p/${page.slug}/incidents.atom?lang=en`)).text()).toContain('<title type="text">Vigil: Badia watch, verified incidents</title>');
		expect(icsValue(await (await call(`/p/${page.slug}/milestones.ics`)).text(), "X-WR-CALNAME")).toBe("Vigil: مراقبة البادية");
	});

	it("gives any mix of Arabic, Kurdish and Latin user text back byte for byte in Atom and iCalendar", () => {
		fc.assert(
			fc.property(mixedText, fc.constantFrom(...LANGUAGES), (title, lang) => {
				const atom = milestonesAtom([milestone({ title })], { appUrl: "https://vigil.test", now: NOW, lang });
				const entryTitle = /<entry>.*?<title type="text">([^<]*)<\/title>/s.exec(atom)?.[1] ?? "";
				expect(fromMarkup(entryTitle).endsWith(`: ${title}`)).toBe(true);
				const zoneFeed = incidentsAtom([], { appUrl: "https://vigil.test", selfUrl: "https://vigil.test/f", now: NOW, lang, zone: { slug: "z", name: title } });
				const feedTitle = /<title type="text">([^<]*)<\/title>/.exec(zoneFeed)?.[1] ?? "";
				expect(fromMarkup(feedTitle).endsWith(title)).toBe(true);
				const ics = milestonesCalendar([milestone({ title, status: "scheduled", outcome: null })], "https://vigil.test", NOW, { lang });
				expect(icsValue(ics, "SUMMARY")).toBe(title);
			}),
			{ numRuns: propertyRuns(200) },
		);
	});
});
