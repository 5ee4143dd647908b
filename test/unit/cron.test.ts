import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cronInterval, isStale } from "../../worker/domain/cron";

const t = (iso: string) => new Date(iso);

describe("cron staleness", () => {
	it("measures intervals from the expression", () => {
		expect(cronInterval("*/10 * * * *", t("2025-09-01T00:03:00Z"))).toBe(600_000);
		expect(cronInterval("0 6 * * *", t("2025-09-01T00:00:00Z"))).toBe(86_400_000);
	});

	it("is stale after two missed intervals, not before", () => {
		const last = t("2025-09-01T00:00:00Z");
		expect(isStale("*/10 * * * *", last, last, t("2025-09-01T00:20:00Z"))).toBe(false);
		expect(isStale("*/10 * * * *", last, last, t("2025-09-01T00:20:01Z"))).toBe(true);
	});

	it("treats a job that never ran as stale only once crons have fired for two of its intervals", () => {
		const first = t("2025-09-01T00:00:00Z");
		expect(isStale("0 6 * * *", null, null, first)).toBe(true);
		expect(isStale("0 6 * * *", null, first, t("2025-09-02T12:00:00Z"))).toBe(false);
		expect(isStale("0 6 * * *", null, first, t("2025-09-03T00:00:01Z"))).toBe(true);
	});

	it("never calls a run that just happened stale", () => {
		fc.assert(
			fc.property(fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }), fc.integer({ min: 0, max: 20 * 60_000 }), (start, elapsed) => {
				expect(isStale("*/10 * * * *", new Date(start), new Date(start), new Date(start + elapsed))).toBe(false);
			}),
		);
	});
});
