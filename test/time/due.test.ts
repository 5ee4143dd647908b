import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DueError, describeDue, describeTimeLeft, parseDue, resolveDueAt } from "../../worker/time/due";
import { canonicalTimeZone, offsetAt, wallTimeAt, zonedTimeToUtc } from "../../worker/time/timezone";
import { propertyRuns } from "../support/runs";

const at = (due: string, kind: "deadline" | "event", tz: string) => new Date(resolveDueAt(parseDue(due), kind, tz)).toISOString();

describe("parseDue", () => {
	it("reads each precision from the text", () => {
		expect(parseDue("2025").precision).toBe("year");
		expect(parseDue("2025-Q3").precision).toBe("quarter");
		expect(parseDue("2025-09").precision).toBe("month");
		expect(parseDue("2025-11-11").precision).toBe("day");
		expect(parseDue("2025-11-11T08:00:00Z").precision).toBe("instant");
		expect(parseDue("2025-11-11T08:00:00+03:00").precision).toBe("instant");
		expect(parseDue("2025-11-11T08:00").precision).toBe("instant");
	});

	it.each([
		"2025-13",
		"2025-00",
		"2025-02-30",
		"2024-02-30",
		"2025-Q5",
		"2025-Q0",
		"Sept 2025",
		"",
		"2025-9",
		"25-09",
		"2025-11-11T24:00:00Z",
		"2025-11-11T10:60Z",
		"2025-11-11T10:00+19:00",
		"1800",
		"2025-09-31",
	])("refuses %j", (text) => {
		expect(() => parseDue(text)).toThrow(DueError);
	});

	it("accepts 29 February only in leap years", () => {
		expect(parseDue("2024-02-29").precision).toBe("day");
		expect(() => parseDue("2025-02-29")).toThrow(DueError);
	});
});

describe("resolveDueAt", () => {
	it("puts a deadline 'by September 2025' in Baghdad at the start of October there", () => {
		expect(at("2025-09", "deadline", "Asia/Baghdad")).toBe("2025-09-30T21:00:00.000Z");
	});

	it("puts an event 'on 2025-11-11' in Baghdad at the start of that day there", () => {
		expect(at("2025-11-11", "event", "Asia/Baghdad")).toBe("2025-11-10T21:00:00.000Z");
	});

	it("ends quarters and years at the first local instant after them", () => {
		expect(at("2025-Q3", "deadline", "UTC")).toBe("2025-10-01T00:00:00.000Z");
		expect(at("2025-Q4", "deadline", "UTC")).toBe("2026-01-01T00:00:00.000Z");
		expect(at("2025-Q4", "event", "UTC")).toBe("2025-10-01T00:00:00.000Z");
		expect(at("2025", "deadline", "America/New_York")).toBe("2026-01-01T05:00:00.000Z");
		expect(at("2025-12", "deadline", "Asia/Tokyo")).toBe("2025-12-31T15:00:00.000Z");
	});

	it("follows daylight saving time: New York month ends in EDT and EST", () => {
		expect(at("2025-06", "deadline", "America/New_York")).toBe("2025-07-01T04:00:00.000Z");
		expect(at("2025-11", "deadline", "America/New_York")).toBe("2025-12-01T05:00:00.000Z");
	});

	it("moves a midnight that does not exist to just after the gap (Santiago springs forward at 00:00)", () => {
		// 2025-09-07 00:00 does not exist in America/Santiago: clocks go from 00:00 -04 to 01:00 -03.
		expect(at("2025-09-07", "event", "America/Santiago")).toBe("2025-09-07T04:00:00.000Z");
		expect(wallTimeAt(Date.parse("2025-09-07T04:00:00Z"), "America/Santiago")).toMatchObject({ day: 7, hour: 1 });
	});

	it("takes the earlier of a repeated wall time", () => {
		// 2025-11-02 01:30 happens twice in New York; the first is EDT (-04).
		expect(new Date(zonedTimeToUtc({ year: 2025, month: 11, day: 2, hour: 1, minute: 30, second: 0 }, "America/New_York")).toISOString()).toBe(
			"2025-11-02T05:30:00.000Z",
		);
	});

	it("ignores the zone for an instant with an offset and uses it for one without", () => {
		expect(at("2025-11-11T08:00:00+03:00", "event", "America/New_York")).toBe("2025-11-11T05:00:00.000Z");
		expect(at("2025-11-11T08:00", "event", "Asia/Baghdad")).toBe("2025-11-11T05:00:00.000Z");
	});
});

const ZONES = [
	"UTC",
	"Asia/Baghdad",
	"America/New_York",
	"America/Santiago",
	"Europe/London",
	"Australia/Lord_Howe",
	"Asia/Kathmandu",
	"Pacific/Chatham",
	"America/Havana",
	"Asia/Beirut",
	"Africa/Casablanca",
	"Pacific/Apia",
];
const zone = fc.constantFrom(...ZONES);
const ymd = fc.record({ year: fc.integer({ min: 1990, max: 2060 }), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 28 }) });
const pad = (n: number) => String(n).padStart(2, "0");

describe("due_at properties across zones and DST edges", () => {
	it("an event day starts at local midnight, or the first instant after a skipped midnight", () => {
		fc.assert(
			fc.property(ymd, zone, ({ year, month, day }, tz) => {
				const t = resolveDueAt(parseDue(`${year}-${pad(month)}-${pad(day)}`), "event", tz);
				const w = wallTimeAt(t, tz);
				expect([w.year, w.month, w.day]).toEqual([year, month, day]);
				// Either exactly midnight, or midnight did not exist and a minute earlier was the day before.
				if (w.hour !== 0 || w.minute !== 0) expect(wallTimeAt(t - 60_000, tz).day).not.toBe(day);
			}),
			{ numRuns: propertyRuns(500) },
		);
	});

	it("a deadline falls due exactly where the next period's event starts", () => {
		fc.assert(
			fc.property(ymd, zone, ({ year, month, day }, tz) => {
				const nextMonth = month === 12 ? `${year + 1}-01` : `${year}-${pad(month + 1)}`;
				expect(resolveDueAt(parseDue(`${year}-${pad(month)}`), "deadline", tz)).toBe(resolveDueAt(parseDue(nextMonth), "event", tz));
				const next = new Date(Date.UTC(year, month - 1, day + 1));
				const nextDay = `${next.getUTCFullYear()}-${pad(next.getUTCMonth() + 1)}-${pad(next.getUTCDate())}`;
				expect(resolveDueAt(parseDue(`${year}-${pad(month)}-${pad(day)}`), "deadline", tz)).toBe(resolveDueAt(parseDue(nextDay), "event", tz));
			}),
			{ numRuns: propertyRuns(300) },
		);
	});

	it("an event comes before its deadline, and periods nest (year >= quarter >= month >= day)", () => {
		fc.assert(
			fc.property(ymd, zone, ({ year, month, day }, tz) => {
				const q = Math.ceil(month / 3);
				const texts = [`${year}`, `${year}-Q${q}`, `${year}-${pad(month)}`, `${year}-${pad(month)}-${pad(day)}`];
				const ends = texts.map((t) => resolveDueAt(parseDue(t), "deadline", tz));
				const starts = texts.map((t) => resolveDueAt(parseDue(t), "event", tz));
				for (let i = 0; i < texts.length; i++) expect(starts[i]).toBeLessThan(ends[i] as number);
				for (let i = 1; i < texts.length; i++) {
					expect(ends[i]).toBeLessThanOrEqual(ends[i - 1] as number);
					expect(starts[i]).toBeGreaterThanOrEqual(starts[i - 1] as number);
				}
			}),
			{ numRuns: propertyRuns(300) },
		);
	});

	it("wall time -> UTC -> wall time round-trips for every time that exists", () => {
		fc.assert(
			fc.property(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2060, 0, 1) }), zone, (ms, tz) => {
				const t = Math.floor(ms / 1000) * 1000;
				const w = wallTimeAt(t, tz);
				const back = zonedTimeToUtc(w, tz);
				// Ambiguous times map to the earlier instant, so back <= t and shows the same wall time.
				expect(back).toBeLessThanOrEqual(t);
				expect(wallTimeAt(back, tz)).toEqual(w);
				expect(Math.abs(offsetAt(t, tz))).toBeLessThanOrEqual(14 * 3_600_000);
			}),
			{ numRuns: propertyRuns(500) },
		);
	});
});

describe("timezones", () => {
	it("canonicalises known IANA names and refuses others", () => {
		expect(canonicalTimeZone("Asia/Baghdad")).toBe("Asia/Baghdad");
		expect(canonicalTimeZone("asia/baghdad")).toBe("Asia/Baghdad");
		expect(canonicalTimeZone("Mars/Olympus_Mons")).toBeNull();
		expect(canonicalTimeZone("../../etc/passwd")).toBeNull();
		expect(canonicalTimeZone("")).toBeNull();
	});
});

describe("describeDue", () => {
	it("says the date the way people do", () => {
		const d = (due: string, kind: "deadline" | "event", tz = "Asia/Baghdad") => describeDue(due, kind, tz, resolveDueAt(parseDue(due), kind, tz));
		expect(d("2025-09", "deadline")).toBe("by September 2025");
		expect(d("2025-11", "event")).toBe("in November 2025");
		expect(d("2025-11-11", "event")).toBe("on 11 November 2025");
		expect(d("2025-Q3", "deadline")).toBe("by the end of Q3 2025");
		expect(d("2025", "event")).toBe("in 2025");
		expect(d("2025-11-11T05:00:00Z", "event")).toBe("on 11 November 2025, 08:00 Asia/Baghdad");
	});

	it("counts time left and time past", () => {
		const now = Date.parse("2025-09-01T00:00:00Z");
		expect(describeTimeLeft(now + 12 * 86_400_000 + 4 * 3_600_000, now)).toBe("in 12 days 4 hours");
		expect(describeTimeLeft(now + 3_600_000 + 60_000, now)).toBe("in 1 hour 1 minute");
		expect(describeTimeLeft(now - 3 * 86_400_000, now)).toBe("3 days ago");
	});
});
