// User text as Vigil's readers write it: any mix of Arabic, Sorani and Latin letters, digits of
// both kinds, markup characters and the bidi marks and isolates, for the properties that check
// every output format gives it back byte for byte.
import fc from "fast-check";

const CHARS = [
	..."abcXYZ 019.,:;()-",
	..."<>&\"'",
	..."ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
	..."ڕڵۆێەڤپچژگ٠١٢٣",
	"\u200e",
	"\u200f",
	"\u202a",
	"\u202b",
	"\u202c",
	"\u202d",
	"\u202e",
	"\u2066",
	"\u2067",
	"\u2068",
	"\u2069",
];

/** A one-line title of 1-40 such characters, not blank. */
export const mixedText = fc.string({ unit: fc.constantFrom(...CHARS), minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== "");

/** HTML/XML text back to what it says: the five entities hono/jsx and Vigil's XML writer use. */
export const fromMarkup = (s: string) =>
	s
		.replace(/&lt;/g, "<")
		.replace(/&gt;/g, ">")
		.replace(/&quot;/g, '"')
		.replace(/&#39;/g, "'")
		.replace(/&apos;/g, "'")
		.replace(/&amp;/g, "&");
