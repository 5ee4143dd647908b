import { Cron } from "croner";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isStale, SCHEDULES as JOBS } from "../../worker/cron/jobs";

const t = (iso: string) => new Date(iso);
const TEN_MINUTES = 600_000;
const DAY = 86_400_000;

describe("cron jobs", () => {
	it("declare the interval their expression fires at, at any point of the year", () => {
		fc.assert(
			fc.property(fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2035, 0, 1) }), (from) => {
				for (const job of JOBS) {
					const [a, b] = new Cron(job.cron, { timezone: "UTC" }).nextRuns(2, new Date(from));
					expect((b?.getTime() ?? 0) - (a?.getTime() ?? 0), job.name).toBe(job.intervalMs);
				}
			}),
			{ numRuns: 50 },
		);
	});
});

describe("cron staleness", () => {
	it("is stale after two missed intervals, not before", () => {
		const last = t("2025-09-01T00:00:00Z");
		expect(isStale(TEN_MINUTES, last, last, t("2025-09-01T00:20:00Z"))).toBe(false);
		expect(isStale(TEN_MINUTES, last, last, t("2025-09-01T00:20:01Z"))).toBe(true);
	});

	it("treats a job that never ran as stale only once crons have fired for two of its intervals", () => {
		const first = t("2025-09-01T00:00:00Z");
		expect(isStale(DAY, null, null, first)).toBe(true);
		expect(isStale(DAY, null, first, t("2025-09-02T12:00:00Z"))).toBe(false);
		expect(isStale(DAY, null, first, t("2025-09-03T00:00:01Z"))).toBe(true);
	});

	it("never calls a run that just happened stale", () => {
		fc.assert(
			fc.property(fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }), fc.integer({ min: 0, max: 2 * TEN_MINUTES }), (start, elapsed) => {
				expect(isStale(TEN_MINUTES, new Date(start), new Date(start), new Date(start + elapsed))).toBe(false);
			}),
		);
	});
});
