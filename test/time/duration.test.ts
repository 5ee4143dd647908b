import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DurationError, normalizeOffsets, parseDuration } from "../../worker/time/duration";

describe("alert offsets", () => {
	it("reads weeks, days, hours, minutes and seconds", () => {
		expect(parseDuration("P30D")).toBe(30 * 86_400_000);
		expect(parseDuration("P1W")).toBe(7 * 86_400_000);
		expect(parseDuration("PT6H")).toBe(6 * 3_600_000);
		expect(parseDuration("P1DT12H")).toBe(36 * 3_600_000);
		expect(parseDuration("PT0S")).toBe(0);
	});

	it.each(["P", "PT", "30D", "P-1D", "P1.5D", "P1M", "P1Y", "P2Y3M", "PT", "P400D", "p30d", "P1DT"])("refuses %j", (text) => {
		expect(() => parseDuration(text)).toThrow(DurationError);
	});

	it("sorts offsets longest first and drops equal lengths", () => {
		expect(normalizeOffsets(["PT0S", "P1D", "P30D", "PT24H", "P7D"])).toEqual(["P30D", "P7D", "P1D", "PT0S"]);
	});

	it("round-trips any day/hour/minute combination", () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), (d, h, m) => {
				expect(parseDuration(`P${d}DT${h}H${m}M`)).toBe(((d * 24 + h) * 60 + m) * 60_000);
			}),
		);
	});
});
