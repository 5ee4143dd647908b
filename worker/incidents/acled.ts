import type { IncidentRow } from "../db/schema";
import { DueError, parseDue, resolveDueAt } from "../time/due";

/** ACLED's six event types and their sub-event types (ACLED Codebook, 2019 onward). */
export const ACLED_EVENT_TYPES = {
	Battles: ["Armed clash", "Government regains territory", "Non-state actor overtakes territory"],
	"Explosions/Remote violence": [
		"Chemical weapon",
		"Air/drone strike",
		"Suicide bomb",
		"Shelling/artillery/missile attack",
		"Remote explosive/landmine/IED",
		"Grenade",
	],
	"Violence against civilians": ["Sexual violence", "Attack", "Abduction/forced disappearance"],
	Protests: ["Peaceful protest", "Protest with intervention", "Excessive force against protesters"],
	Riots: ["Violent demonstration", "Mob violence"],
	"Strategic developments": [
		"Agreement",
		"Arrests",
		"Change to group/activity",
		"Disrupted weapons use",
		"Headquarters or base established",
		"Looting/property destruction",
		"Non-violent transfer of territory",
		"Other",
	],
} as const satisfies Record<string, readonly string[]>;

export type AcledEventType = keyof typeof ACLED_EVENT_TYPES;
export const EVENT_TYPES = Object.keys(ACLED_EVENT_TYPES) as [AcledEventType, ...AcledEventType[]];
export const SUB_EVENT_TYPES = Object.values(ACLED_EVENT_TYPES).flat();

/** Whether a sub-event type belongs to the event type (ACLED nests them strictly). */
export function isSubEventOf(eventType: AcledEventType, subEventType: string): boolean {
	return (ACLED_EVENT_TYPES[eventType] as readonly string[]).includes(subEventType);
}

/** ACLED export columns, in ACLED's order; Vigil fills those it has and leaves the rest empty. */
export const ACLED_COLUMNS = [
	"event_id_cnty",
	"event_date",
	"year",
	"time_precision",
	"disorder_type",
	"event_type",
	"sub_event_type",
	"actor1",
	"assoc_actor_1",
	"inter1",
	"actor2",
	"assoc_actor_2",
	"inter2",
	"interaction",
	"civilian_targeting",
	"iso",
	"region",
	"country",
	"admin1",
	"admin2",
	"admin3",
	"location",
	"latitude",
	"longitude",
	"geo_precision",
	"source",
	"source_scale",
	"notes",
	"fatalities",
	"tags",
	"timestamp",
] as const;

/**
 * Vigil's own columns, after ACLED's, so ACLED tools read the file positionally unchanged. Clients
 * parse these too: a new one goes at the end. NOT_EXPORTED (columns.ts) names the shown columns left out.
 */
export const VIGIL_COLUMNS = ["vigil_id", "vigil_source", "zone", "source_url", "verification", "occurred_precision", "occurred_at"] as const;
export const CSV_COLUMNS = [...ACLED_COLUMNS, ...VIGIL_COLUMNS] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

export type Precision = IncidentRow["occurredPrecision"];

/**
 * Reads an event date: ISO forms ("2025", "2025-Q3", "2025-08", "2025-08-20", RFC 3339) or
 * ACLED's older "20 August 2025". Returns the text kept, its precision and the instant the
 * period starts (UTC). Throws DueError on anything that is not a real date.
 */
export function readEventDate(text: string): { eventDate: string; precision: Precision; occurredAt: Date } {
	let trimmed = text.trim();
	const long = /^(\d{1,2}) ([A-Za-z]+) (\d{4})$/.exec(trimmed);
	if (long) {
		const month = MONTHS.indexOf((long[2] ?? "").toLowerCase()) + 1;
		if (month === 0) throw new DueError(`"${long[2]}" is not a month`);
		trimmed = `${long[3]}-${String(month).padStart(2, "0")}-${(long[1] ?? "").padStart(2, "0")}`;
	}
	const parsed = parseDue(trimmed);
	if (parsed.precision === "instant" && parsed.epochMs === null) throw new DueError("a date-time needs an offset (Z or ±hh:mm)");
	return { eventDate: trimmed, precision: parsed.precision, occurredAt: new Date(resolveDueAt(parsed, "event", "UTC")) };
}

/** ACLED's time_precision: 1 day, 2 week, 3 month or coarser. */
export function acledTimePrecision(precision: Precision): 1 | 3 {
	return precision === "day" || precision === "instant" ? 1 : 3;
}

/**
 * One CSV cell (RFC 4180 quoting). Text that a spreadsheet would run as a formula
 * (= + - @, tab, CR) gets a leading apostrophe (OWASP's advice); numbers are written as numbers.
 */
export function csvCell(value: string | number | null | undefined): string {
	if (value === null || value === undefined) return "";
	if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
	const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
	return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One CSV record line, CRLF-terminated as RFC 4180 has it. */
export function csvLine(cells: readonly (string | number | null | undefined)[]): string {
	return `${cells.map(csvCell).join(",")}\r\n`;
}
