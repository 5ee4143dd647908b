// The status page in each language, rendered from a status object: direction, words, digits,
// machine-readable times, isolated user text, translated titles, and escaping that gives any
// mix of Arabic, Kurdish and Latin text back byte for byte.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Language } from "../../worker/i18n";
import { weeklySeries } from "../../worker/incidents/weekly";
import { statusExample } from "../../worker/status/examples";
import { StatusPage } from "../../worker/status/page";
import type { StatusJson } from "../../worker/status/schema";
import { fromMarkup, mixedText } from "../support/mixed-text";
import { propertyRuns } from "../support/runs";

const NOW = new Date(statusExample.now);
const first = statusExample.milestones.next[0];
if (!first) throw new Error("the status example lists a milestone");
const withTitle = (title: string, title_i18n: StatusJson["milestones"]["next"][number]["title_i18n"] = null): StatusJson => ({
	...statusExample,
	milestones: { ...statusExample.milestones, next: [{ ...first, title, title_i18n }] },
});
const render = (lang: Language, status: StatusJson = statusExample) =>
	(
		<StatusPage status={status} weekly={weeklySeries([], NOW)} map={{ zones: [], incidents: { points: [], withoutCoordinates: 0 } }} nonce="n" lang={lang} />
	).toString();

describe("the status page in each language", () => {
	it("is English, left to right, by default", () => {
		const html = render("en");
		expect(html).toMatch(/^<html lang="en" dir="ltr">/);
		expect(html).toContain('<h2 id="next">Next milestones</h2>');
		expect(html).toContain("by September 2025");
	});

	it("is Arabic, right to left, in Arabic-Indic digits with the Iraqi month names, the ISO instant kept", () => {
		const html = render("ar");
		expect(html).toMatch(/^<html lang="ar-IQ" dir="rtl">/);
		expect(html).toContain('<h2 id="next">المواعيد القادمة</h2>');
		expect(html).toContain("بحلول أيلول ٢٠٢٥");
		expect(html).toContain('<time datetime="2025-09-30T21:00:00.000Z">٣٠ أيلول ٢٠٢٥، الساعة ٢١:٠٠ UTC</time>');
		expect(html).toContain("<td>١</td><td>٥</td>");
		expect(html).not.toMatch(/>[^<]*\b(Next milestones|Time left|Overdue)\b/);
	});

	it("is Sorani, right to left, with its own month names", () => {
		const html = render("ckb");
		expect(html).toMatch(/^<html lang="ckb-IQ" dir="rtl">/);
		expect(html).toContain('<h2 id="next">وادەکانی داهاتوو</h2>');
		expect(html).toContain("تا کۆتایی ئەیلوول ٢٠٢٥");
		expect(html).toContain('datetime="2025-09-30T21:00:00.000Z"');
	});

	it("lays out both directions with one stylesheet of logical properties: nothing physical left or right", () => {
		const css = /<style nonce="n">([\s\S]*?)<\/style>/.exec(render("ar"))?.[1] ?? "";
		expect(css).toContain("margin-inline:auto");
		expect(css).not.toMatch(/(margin|padding|border)-(left|right)|text-align:(left|right)|[{;](left|right):|float:/);
		expect(render("en")).toContain(css);
		expect(css).toContain('"Noto Sans Arabic"');
		expect(css).not.toMatch(/@import|url\(|@font-face/);
	});

	it("mirrors the chart's value axis to the right in RTL and keeps the SVG's own coordinates ltr", () => {
		expect(render("en")).toContain('<text x="34" y="236" text-anchor="end">0</text>');
		const ar = render("ar");
		expect(ar).toContain('direction="ltr"');
		expect(ar).toContain('<text x="606" y="236" text-anchor="start">٠</text>');
	});

	it("shows a title's translation when there is one, and the original marked as English when not", () => {
		const status = withTitle("Handover", { ar: "التسليم" });
		expect(render("ar", status)).toContain("<bdi>التسليم</bdi>");
		expect(render("en", status)).toContain("<bdi>Handover</bdi>");
		expect(render("ckb", status)).toContain('<bdi lang="en">Handover</bdi>');
		expect(render("ar")).toContain("<bdi>وادي حوران</bdi>");
	});

	it("links the page in each language and tells the countdown script the page's words", () => {
		const html = render("ar");
		expect(html).toContain('<a href="?lang=ar" lang="ar-IQ" hreflang="ar-IQ" aria-current="page">العربية</a>');
		expect(html).toContain("&quot;intl&quot;:&quot;ar-IQ&quot;");
		expect(html).toContain("&quot;two&quot;:&quot;يومان&quot;");
	});

	it("gives any mix of Arabic, Kurdish and Latin user text back byte for byte, isolated in <bdi>", () => {
		fc.assert(
			fc.property(mixedText, fc.constantFrom<Language>("en", "ar", "ckb"), (title, lang) => {
				const html = render(lang, withTitle(title));
				const shown = /<tr data-kind="[a-z]+"><td> <bdi(?: lang="en")?>([^<]*)<\/bdi>/.exec(html)?.[1];
				expect(shown).toBeDefined();
				expect(fromMarkup(shown ?? "")).toBe(title);
			}),
			{ numRuns: propertyRuns(300) },
		);
	});
});
