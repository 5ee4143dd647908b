// A minimal XML writer for the Atom feed: elements, attributes and escaped text, nothing more.

// XML 1.0 cannot carry most control characters, escaped or not, nor lone surrogates: drop them.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// Parsers turn a raw CR into LF, and tabs and newlines in attributes into spaces: as references they survive.
const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;", "\r": "&#13;", "\n": "&#10;", "\t": "&#9;" };

/** Text made safe for XML content (or, with `attribute`, attribute values): characters XML forbids are dropped, the rest escaped. */
export function escapeXml(text: string, attribute = false): string {
	return text.replace(NOT_XML, "").replace(attribute ? /[&<>"'\r\n\t]/g : /[&<>"'\r]/g, (ch) => ESCAPES[ch] ?? ch);
}

/** A serialized element; only `el` makes these, so a plain string child is always escaped. */
export class XmlNode {
	constructor(readonly xml: string) {}
}

type Attrs = Record<string, string | undefined>;
type Child = XmlNode | string | null | undefined | false;

/** `<name attr="v">children</name>`, escaping attribute values and string children; undefined attributes are left out. */
export function el(name: string, attrs: Attrs | null, ...children: (Child | Child[])[]): XmlNode {
	const attributes = Object.entries(attrs ?? {})
		.filter((entry): entry is [string, string] => entry[1] !== undefined)
		.map(([k, v]) => ` ${k}="${escapeXml(v, true)}"`)
		.join("");
	const body = children
		.flat()
		.map((c) => (c instanceof XmlNode ? c.xml : c ? escapeXml(c) : ""))
		.join("");
	return new XmlNode(body ? `<${name}${attributes}>${body}</${name}>` : `<${name}${attributes}/>`);
}

/** A whole document: the XML declaration, then the root element. */
export const xmlDocument = (root: XmlNode) => `<?xml version="1.0" encoding="utf-8"?>\n${root.xml}\n`;
