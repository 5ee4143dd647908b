/// <reference types="vite/client" />
// The catalogues are complete and used: every language has English's keys, each message gives
// text, and every key is written somewhere in the Worker as a whole string literal (keys are
// never built from pieces; see worker/i18n/en.ts), so a key left behind by a removed string fails.
import { describe, expect, it } from "vitest";
import { ar } from "../../worker/i18n/ar";
import { ckb } from "../../worker/i18n/ckb";
import { en } from "../../worker/i18n/en";
import { PLURAL_CATEGORIES } from "../../worker/i18n/locale";

// Vite reads the sources at build time: workerd has no file system of its own.
const sources = import.meta.glob("../../worker/**/*.{ts,tsx}", { query: "?raw", import: "default", eager: true }) as Record<string, string>;
const CATALOGUE_FILES = /worker\/i18n\/(en|ar|ckb)\.ts$/;
const code = Object.entries(sources)
	.filter(([path]) => !CATALOGUE_FILES.test(path))
	.map(([, text]) => text)
	.join("\n");

const catalogues = { en, ar, ckb } as Record<string, Record<string, unknown>>;

/** Calls a message with a value for any parameter it reads: a number, which a string parameter also prints. */
const sample = (message: unknown) => (typeof message === "string" ? message : (message as (p: unknown) => string)(new Proxy({}, { get: () => 3 })));

describe("message catalogues", () => {
	it("read the Worker's sources (the scan below is not blind)", () => {
		expect(Object.keys(sources).length).toBeGreaterThan(50);
		expect(code).toContain('"status.next_heading"');
	});

	it("have exactly English's keys in every language", () => {
		for (const [lang, catalogue] of Object.entries(catalogues)) {
			expect(Object.keys(catalogue).sort(), lang).toEqual(Object.keys(en).sort());
		}
	});

	it("give a non-empty text for every message, with no placeholder left unfilled", () => {
		for (const [lang, catalogue] of Object.entries(catalogues)) {
			for (const [key, message] of Object.entries(catalogue)) {
				const text = sample(message);
				expect(text.trim(), `${lang} ${key}`).not.toBe("");
				expect(text, `${lang} ${key}`).not.toMatch(/undefined|\[object|#|\$\{/);
			}
		}
	});

	it("use every key somewhere in the Worker, as a whole literal", () => {
		const unused = Object.keys(en).filter((key) => !code.includes(`"${key}"`));
		expect(unused).toEqual([]);
	});

	it("ask Arabic for its six plural forms and Sorani and English for two", () => {
		expect(PLURAL_CATEGORIES.ar).toEqual(["zero", "one", "two", "few", "many", "other"]);
		expect(new Intl.PluralRules("ar").resolvedOptions().pluralCategories.sort()).toEqual([...PLURAL_CATEGORIES.ar].sort());
		expect(new Intl.PluralRules("ckb").resolvedOptions().pluralCategories.sort()).toEqual([...PLURAL_CATEGORIES.ckb].sort());
	});
});
