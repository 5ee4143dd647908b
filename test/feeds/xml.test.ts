import fc from "fast-check";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { el, escapeXml, xmlDocument } from "../../worker/feeds/xml";
import { propertyRuns } from "../support/runs";

// htmlEntities makes fast-xml-parser decode numeric character references (&#9;), as any XML parser must.
const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false, parseAttributeValue: false, trimValues: false, htmlEntities: true });
// What XML 1.0 cannot carry (C0 controls but tab/LF/CR, U+FFFE/U+FFFF, lone surrogates): xml.ts drops it.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const xmlSafe = (s: string) => s.replace(NOT_XML, "");

describe("el", () => {
	it("writes elements, attributes and self-closing empties", () => {
		expect(el("feed", { xmlns: "urn:x", skip: undefined }, el("id", null, "a&b"), el("link", { href: 'x"y' })).xml).toBe(
			'<feed xmlns="urn:x"><id>a&amp;b</id><link href="x&quot;y"/></feed>',
		);
		expect(escapeXml("<a> & 'b' \u0000")).toBe("&lt;a&gt; &amp; &apos;b&apos; ");
	});

	it("round-trips any text through a real XML parser, in content and in attributes", () => {
		fc.assert(
			fc.property(fc.string({ unit: "binary" }), fc.string({ unit: "binary" }), (text, attr) => {
				const doc = parser.parse(xmlDocument(el("root", { a: attr }, el("t", null, text)))) as { root: { "@_a": string; t: string | { "#text": string } } };
				const t = doc.root.t;
				expect(typeof t === "string" ? t : (t?.["#text"] ?? "")).toBe(xmlSafe(text));
				expect(doc.root["@_a"]).toBe(xmlSafe(attr));
			}),
			{ numRuns: propertyRuns(1000) },
		);
	});
});
