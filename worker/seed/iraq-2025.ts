import type { CreateMilestoneInput } from "../milestones";

/**
 * The first situation Vigil ships with: post-withdrawal Iraq, from Shafaq News, "After US
 * withdrawal: Why experts warn of an ISIS resurgence in Iraq" (2025).
 * Facts the article does not give are marked "public record" where they are used. Zones, their
 * approximate outlines and the incidents are in ./incidents.ts.
 *
 * The Arabic (`ar`) and Sorani (`ckb`) titles translate what the article says and nothing more.
 * They were written by the Vigil team, not machine-translated, and have not been reviewed by a
 * native speaker: corrections are welcome.
 */
export const ARTICLE = "Shafaq News, “After US withdrawal: Why experts warn of an ISIS resurgence in Iraq” (2025)";
export const ARTICLE_URL = "https://shafaq.com/en";

export const SEED_MILESTONES: CreateMilestoneInput[] = [
	{
		slug: "coalition-leaves-ain-al-asad-and-camp-victory",
		title: "US-led coalition leaves Ain al-Asad and Camp Victory",
		title_i18n: {
			ar: "انسحاب التحالف بقيادة الولايات المتحدة من قاعدة عين الأسد ومعسكر فكتوري",
			ckb: "کشانەوەی هاوپەیمانی بە سەرکردایەتی ئەمریکا لە بنکەی عەین ئەلئەسەد و کەمپی ڤیکتۆری",
		},
		due: "2025-09",
		kind: "deadline",
		timezone: "Asia/Baghdad",
		tags: ["withdrawal", "coalition", "iraq"],
		description: `Withdrawals from Ain al-Asad and Camp Victory scheduled by September 2025, on the timetable a joint Iraqi–US commission set in 2024 (the article also cites the 2022 Baghdad–Washington agreement). Source: ${ARTICLE}.`,
		source_url: ARTICLE_URL,
	},
	{
		slug: "iraq-parliamentary-elections-2025",
		title: "Iraqi parliamentary elections",
		title_i18n: { ar: "الانتخابات البرلمانية العراقية", ckb: "هەڵبژاردنی پەرلەمانی عێراق" },
		due: "2025-11-11",
		kind: "event",
		timezone: "Asia/Baghdad",
		tags: ["elections", "iraq"],
		description: `The article speaks of “the November elections” and sectarian rhetoric ahead of them. The day, 11 November 2025, is public record (set by Iraq's Independent High Electoral Commission). Source: ${ARTICLE}.`,
		source_url: ARTICLE_URL,
	},
	{
		slug: "coalition-drawdown-erbil-under-500",
		title: "Coalition troops in Iraq down to fewer than 500, in Erbil",
		title_i18n: {
			ar: "خفض قوات التحالف في العراق إلى أقل من ٥٠٠ عنصر، في أربيل",
			ckb: "کەمبوونەوەی هێزەکانی هاوپەیمانی لە عێراق بۆ کەمتر لە ٥٠٠ سەرباز، لە هەولێر",
		},
		due: "2026-09",
		kind: "deadline",
		timezone: "Asia/Baghdad",
		tags: ["withdrawal", "coalition", "kurdistan-region"],
		description: `Troop levels expected to fall from about 2,500 to fewer than 500 in Erbil (${ARTICLE}). The article gives no date; September 2026, the end of the transition's second phase in the Kurdistan Region, is public record (the US–Iraq joint statement of September 2024).`,
		source_url: ARTICLE_URL,
	},
];
