import type { PageJsonValue } from "./schema";

// Response examples for the OpenAPI document, typed by the schema they illustrate.

export const pageExample = {
	id: 1,
	slug: "iraq-after-the-withdrawal",
	url: "https://vigil.example.org/p/iraq-after-the-withdrawal",
	title: "Iraq after the withdrawal",
	description: "The coalition's withdrawal timetable, the November elections, and incidents in Wadi Hauran, the Hamrin mountains and the Syrian Badia.",
	title_i18n: { ar: "العراق بعد الانسحاب", ckb: "عێراق دوای کشانەوە" },
	language: "en",
	tags: ["withdrawal", "elections"],
	zones: ["wadi-hauran", "hamrin-mountains", "syrian-badia"],
	visibility: "public",
	created_at: "2025-09-01T08:00:00.000Z",
	updated_at: null,
} satisfies PageJsonValue;

export const pageListExample = { items: [pageExample], next_cursor: null };
