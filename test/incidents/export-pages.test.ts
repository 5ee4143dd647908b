import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EXPORT_FIRST_PAGE, EXPORT_MAX_PAGE, exportPageSize } from "../../worker/incidents/exports";
import { exportQueries } from "../support/export-pages";

// D1 lets one Worker invocation make 1,000 queries on Workers Paid and 50 on Free
// (https://developers.cloudflare.com/d1/platform/limits/), and an export is one invocation.
const PAID = 1_000;
const FREE = 50;
// What the export's request may read before it streams (its session, a page's settings).
const SPARE = 2;

describe("an export's pages", () => {
	it("start small, never shrink, at most double, and stop growing at the largest page", () => {
		expect(exportPageSize(0)).toBe(EXPORT_FIRST_PAGE);
		fc.assert(
			fc.property(fc.nat(100_000), (page) => {
				const [size, next] = [exportPageSize(page), exportPageSize(page + 1)];
				expect(next).toBeGreaterThanOrEqual(size);
				expect(next).toBeLessThanOrEqual(2 * size);
				expect(next).toBeLessThanOrEqual(EXPORT_MAX_PAGE);
			}),
		);
		expect(exportPageSize(100)).toBe(EXPORT_MAX_PAGE);
	});

	it("keep an export of up to 4.9 million rows within Workers Paid's 1,000 D1 queries, and 220,000 within Free's 50", () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 4_900_000 }), (rows) => {
				expect(exportQueries(rows)).toBeLessThanOrEqual(PAID - SPARE);
			}),
		);
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 220_000 }), (rows) => {
				expect(exportQueries(rows)).toBeLessThanOrEqual(FREE - SPARE);
			}),
		);
	});

	it("read a million rows in about 200 queries (a page of 500 each made 2,001)", () => {
		expect(exportQueries(1_000_000)).toBe(203);
		expect(exportQueries(0)).toBe(1);
		expect(exportQueries(EXPORT_FIRST_PAGE - 1)).toBe(1);
		expect(exportQueries(EXPORT_FIRST_PAGE)).toBe(2);
	});
});
