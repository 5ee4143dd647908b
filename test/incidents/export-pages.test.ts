import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EXPORT_FIRST_PAGE, EXPORT_MAX_PAGE, EXPORT_PAGE_CHARS, nextPageSize } from "../../worker/incidents/exports";
import { exportQueries } from "../support/export-pages";

// D1 lets one Worker invocation make 1,000 queries on Workers Paid and 50 on Free
// (https://developers.cloudflare.com/d1/platform/limits/), and an export is one invocation.
const PAID = 1_000;
const FREE = 50;
// What the export's request may read before it streams (its session, a page's settings).
const SPARE = 2;
// An incident's CSV record is ~250 characters, its GeoJSON Feature ~570; with every field at its
// longest (notes 10,000) about 15,000.
const TYPICAL = 800;
const LONGEST = 20_000;

describe("an export's pages", () => {
	it("never more than double, never pass the largest page, and shrink as their rows grow", () => {
		fc.assert(
			fc.property(fc.integer({ min: 1, max: EXPORT_MAX_PAGE }), fc.integer({ min: 1, max: LONGEST }), (size, chars) => {
				const next = nextPageSize(size, size * chars);
				expect(next).toBeGreaterThanOrEqual(1);
				expect(next).toBeLessThanOrEqual(Math.min(2 * size, EXPORT_MAX_PAGE));
				// Rows like the last ones fill the next page up to EXPORT_PAGE_CHARS at most (D1 answers up to 50 MB).
				expect(next * chars).toBeLessThanOrEqual(Math.max(EXPORT_PAGE_CHARS, chars));
			}),
		);
		expect(nextPageSize(EXPORT_FIRST_PAGE, EXPORT_FIRST_PAGE * 250)).toBe(2 * EXPORT_FIRST_PAGE);
		expect(nextPageSize(EXPORT_FIRST_PAGE, EXPORT_FIRST_PAGE * 15_000)).toBe(266);
	});

	it("keep an export of up to 4.9 million rows within Workers Paid's 1,000 D1 queries, and 220,000 within Free's 50", () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 4_900_000 }), fc.integer({ min: 1, max: TYPICAL }), (rows, chars) => {
				expect(exportQueries(rows, chars)).toBeLessThanOrEqual(PAID - SPARE);
			}),
		);
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 220_000 }), fc.integer({ min: 1, max: TYPICAL }), (rows, chars) => {
				expect(exportQueries(rows, chars)).toBeLessThanOrEqual(FREE - SPARE);
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
