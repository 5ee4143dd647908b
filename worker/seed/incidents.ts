import { acledCsv, type IncidentInputValue } from "../incidents";
import type { CreateZoneInput } from "../zones";

/**
 * Seed data for the first situation (post-withdrawal Iraq), from the Shafaq News article
 * "After US withdrawal: Why experts warn of an ISIS resurgence in Iraq" (late August / early
 * September 2025). Data, not code: nothing else depends on these values.
 */

const APPROXIMATE =
	"Named as an ISIS activity zone in the Shafaq News article. Approximate outline drawn by hand for orientation, not a surveyed boundary; refine before relying on zone counts.";

/**
 * The three zones the article names, keyed by slug, with their names in Arabic and Sorani (written
 * by the Vigil team, not machine-translated, and not reviewed by a native speaker), with approximate polygons (RFC 7946, longitude first). */
export const SEED_ZONES = {
	"wadi-hauran": {
		slug: "wadi-hauran",
		name: "Wadi Hauran",
		name_i18n: { ar: "وادي حوران", ckb: "دۆڵی حەوران" },
		country: "Iraq",
		admin1: "Al Anbar",
		description: `Iraq's longest valley, running from near the Saudi and Jordanian borders north-east to the Euphrates near Haditha; linked to the Syrian Badia. ${APPROXIMATE}`,
		polygon: {
			type: "Polygon",
			coordinates: [
				[
					[39.2, 32.3],
					[39.9, 32.2],
					[41.2, 33.0],
					[42.6, 33.9],
					[42.5, 34.3],
					[41.9, 34.2],
					[40.6, 33.5],
					[39.1, 32.7],
					[39.2, 32.3],
				],
			],
		},
	},
	"hamrin-mountains": {
		slug: "hamrin-mountains",
		name: "Hamrin mountains",
		name_i18n: { ar: "جبال حمرين", ckb: "چیاکانی حەمرین" },
		country: "Iraq",
		admin1: "Diyala / Salah al-Din / Kirkuk",
		description: `The Jabal Hamrin ridge from the Tigris near Baiji south-east across Salah al-Din, Kirkuk and Diyala towards the Iranian border: hills and caves used as sanctuaries. ${APPROXIMATE}`,
		polygon: {
			type: "Polygon",
			coordinates: [
				[
					[43.4, 34.9],
					[44.9, 34.0],
					[45.4, 33.8],
					[45.6, 34.1],
					[44.6, 34.8],
					[43.8, 35.25],
					[43.4, 35.1],
					[43.4, 34.9],
				],
			],
		},
	},
	"syrian-badia": {
		slug: "syrian-badia",
		name: "Syrian Badia",
		name_i18n: { ar: "البادية السورية", ckb: "بیابانی سووریا" },
		country: "Syria",
		description: `The central Syrian desert around Palmyra, reaching towards Jordan, northern Saudi Arabia and western Iraq; connected to Wadi Hauran across the frontier. ${APPROXIMATE}`,
		polygon: {
			type: "Polygon",
			coordinates: [
				[
					[36.6, 34.9],
					[36.9, 33.3],
					[38.0, 32.3],
					[39.6, 32.6],
					[41.0, 33.4],
					[41.2, 34.4],
					[40.4, 35.2],
					[38.6, 35.7],
					[36.6, 34.9],
				],
			],
		},
	},
} as const satisfies Record<string, CreateZoneInput & { polygon: NonNullable<CreateZoneInput["polygon"]> }>;

/** The source the seed incidents are filed under (create it with POST /api/sources). */
export const SEED_SOURCE = {
	slug: "shafaq-news-2025-isis-resurgence",
	name: "Shafaq News: After US withdrawal, experts warn of an ISIS resurgence in Iraq",
} as const;

const ARTICLE = "Shafaq News, 'After US withdrawal: Why experts warn of an ISIS resurgence in Iraq' (late Aug./early Sep. 2025)";

/**
 * The incidents the article describes, as webhook `data` items (IncidentInput). Each keeps the
 * precision the article gives; where the article is vague the notes say what was inferred.
 */
export const SEED_INCIDENTS = [
	{
		external_id: "shafaq-2025-idlib-al-jubouri",
		event_date: "2025-08",
		event_type: "Battles",
		sub_event_type: "Armed clash",
		actor1: "Syrian security forces (with Iraqi intelligence and the US-led Coalition)",
		actor2: "Islamic State (ISIS)",
		country: "Syria",
		admin1: "Idlib",
		location: "Northwestern Idlib",
		fatalities: 1,
		notes:
			"Senior ISIS figure Salah Nouman Abd Nayef al-Jubouri, ranked fifth among the group's leaders in Syria, was killed in northwestern Idlib in a joint operation supported by Iraqi intelligence, the US-led Coalition and Syrian security forces; Iraq's Counter-Terrorism Service provided intelligence for the raid. The article dates it 'last week' and is itself undated (late August or early September 2025): month precision, August 2025 the most likely. No coordinates: the article names only the region.",
		source: ARTICLE,
		tags: ["isis", "leadership-targeting", "cross-border"],
	},
	{
		external_id: "shafaq-2020-baghdad-soleimani-muhandis",
		event_date: "2020-01",
		event_type: "Explosions/Remote violence",
		sub_event_type: "Air/drone strike",
		actor1: "Military Forces of the United States",
		actor2: "Islamic Revolutionary Guard Corps; Popular Mobilization Forces",
		country: "Iraq",
		admin1: "Baghdad",
		location: "Baghdad",
		latitude: 33.3152,
		longitude: 44.3661,
		fatalities: 2,
		notes:
			"The January 2020 killing in Baghdad of Iranian commander Qassem Soleimani and PMF leader Abu Mahdi al-Muhandis, after which demands for US withdrawal escalated. The article gives the month and names the two dead; the strike type and actor are from the public record, not the article. Coordinates: Baghdad city centre.",
		source: ARTICLE,
		tags: ["us-withdrawal", "pmf"],
	},
	{
		external_id: "shafaq-2014-mosul-takeover",
		event_date: "2014",
		event_type: "Battles",
		sub_event_type: "Non-state actor overtakes territory",
		actor1: "Islamic State (ISIS)",
		actor2: "Military Forces of Iraq",
		country: "Iraq",
		admin1: "Nineveh",
		location: "Mosul",
		latitude: 36.34,
		longitude: 43.13,
		fatalities: 0,
		notes:
			"ISIS's 2014 takeover of Mosul, cited as the benchmark of border vulnerability. The article gives only the year and places Mosul 'in Al-Anbar'; Mosul is in Nineveh, recorded here. Fatalities are not reported in the article (0 as ACLED records unknown). Coordinates: Mosul city centre.",
		source: ARTICLE,
		tags: ["isis", "territorial-control"],
	},
] as const satisfies readonly (Omit<IncidentInputValue, "fatalities" | "tags"> & { fatalities: number; tags: readonly string[] })[];

/** The same incidents as an ACLED-format CSV for POST /api/incidents/import?source=<SEED_SOURCE.slug>. */
export function seedIncidentsCsv(): string {
	return acledCsv(SEED_INCIDENTS);
}
