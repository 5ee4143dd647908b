import type { CreatePageInput } from "../pages";
import { SEED_ZONES } from "./incidents";
import { ARTICLE } from "./iraq-2025";

/**
 * The article's situation as one page: the withdrawal and drawdown milestones (tag "withdrawal"),
 * the elections (tag "elections"), and the three zones it names.
 */
export const SEED_PAGE = {
	slug: "iraq-after-the-withdrawal",
	title: "Iraq after the withdrawal",
	title_i18n: { ar: "العراق بعد الانسحاب", ckb: "عێراق دوای کشانەوە" },
	description: `The coalition's withdrawal timetable, the November elections, and incidents in Wadi Hauran, the Hamrin mountains and the Syrian Badia. Source: ${ARTICLE}.`,
	language: "en",
	tags: ["withdrawal", "elections"],
	zones: Object.values(SEED_ZONES).map((z) => z.slug),
	visibility: "public",
} satisfies CreatePageInput;
