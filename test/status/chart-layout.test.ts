import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CHART_WEEKS, WEEK_MS, type WeeklySeries } from "../../worker/incidents/weekly";
import { describeSeries } from "../../worker/status/chart";
import { type Bar, layoutChart, niceStep, OTHER_FILL, PALETTE } from "../../worker/status/chart-layout";

const MONDAY = Date.parse("2025-11-10T00:00:00Z");
const weeks = Array.from({ length: CHART_WEEKS }, (_, i) => MONDAY - (CHART_WEEKS - 1 - i) * WEEK_MS);

function series(zones: { name: string; counts: number[] }[]): WeeklySeries {
	const full = zones.map((z) => ({
		zone: z.name === "Other zones" ? null : z.name,
		group: z.name === "Other zones" ? ("other" as const) : ("zone" as const),
		name: z.name,
		nameI18n: null,
		counts: z.counts,
		total: z.counts.reduce((a, b) => a + b, 0),
	}));
	const total = full.reduce((n, z) => n + z.total, 0);
	return { weeks, zones: full, total, verified: 0, verifiedShare: total ? 0 : null };
}

describe("niceStep", () => {
	it("picks 1-2-5 steps", () => {
		expect([0, 3, 7, 12, 40, 230].map((m) => niceStep(m))).toEqual([1, 1, 2, 5, 10, 50]);
	});
});

describe("layoutChart", () => {
	it("stacks one segment per zone and week, bottom up, in series order", () => {
		const c = layoutChart(
			series([
				{ name: "Hamrin", counts: [...Array(11).fill(0), 4] },
				{ name: "Badia", counts: [...Array(11).fill(0), 2] },
			]),
		);
		expect(c.bars).toHaveLength(2);
		const [hamrin, badia] = c.bars as [Bar, Bar];
		expect(hamrin).toMatchObject({ zone: "Hamrin", count: 4, fill: PALETTE[0], week: MONDAY });
		expect(badia).toMatchObject({ zone: "Badia", count: 2, fill: PALETTE[1] });
		expect(hamrin.y + hamrin.height).toBeCloseTo(c.plot.bottom, 1);
		expect(badia.y + badia.height).toBeCloseTo(hamrin.y, 1);
		expect(hamrin.height).toBeCloseTo(2 * badia.height, 1);
		expect(c.yTicks.map((t) => t.value)).toEqual([0, 2, 4, 6]);
		expect(c.xLabels.at(-1)).toMatchObject({ text: "10 Nov" });
		expect(c.xLabels).toHaveLength(6);
	});

	it("draws 'Other zones' grey", () => {
		const c = layoutChart(series([{ name: "Other zones", counts: [1, ...Array(11).fill(0)] }]));
		expect(c.bars[0]?.fill).toBe(OTHER_FILL);
		expect(c.legend).toEqual([{ name: "Other zones", fill: OTHER_FILL, total: 1 }]);
	});

	it("mirrors every x in right-to-left, so the newest week is on the left and the value axis on the right", () => {
		const counts = fc.array(fc.integer({ min: 0, max: 50 }), { minLength: CHART_WEEKS, maxLength: CHART_WEEKS });
		fc.assert(
			fc.property(fc.array(counts, { minLength: 1, maxLength: 4 }), (zoneCounts) => {
				const s = series(zoneCounts.map((counts, i) => ({ name: `Zone ${i}`, counts })));
				const ltr = layoutChart(s);
				const rtl = layoutChart(s, { rtl: true });
				expect(rtl.bars.map((b) => ({ ...b, x: Math.round(ltr.width - b.x - b.width) }))).toEqual(ltr.bars.map((b) => ({ ...b, x: Math.round(b.x) })));
				expect(rtl.xLabels.map((l) => rtl.width - l.x)).toEqual(ltr.xLabels.map((l) => l.x));
				expect(rtl.plot.left).toBe(ltr.width - ltr.plot.right);
				expect(rtl.plot.right).toBe(ltr.width - ltr.plot.left);
			}),
		);
		const ltr = layoutChart(series([]));
		const rtl = layoutChart(series([]), { rtl: true });
		expect(ltr.yLabel).toEqual({ x: ltr.plot.left - 6, anchor: "end" });
		expect(rtl.yLabel).toEqual({ x: rtl.plot.right + 6, anchor: "start" });
		// The newest week's label is the last one: rightmost in LTR, leftmost in RTL.
		expect(Math.max(...ltr.xLabels.map((l) => l.x))).toBe(ltr.xLabels.at(-1)?.x);
		expect(Math.min(...rtl.xLabels.map((l) => l.x))).toBe(rtl.xLabels.at(-1)?.x);
	});

	it("has an axis and no bars when there is nothing to draw", () => {
		const c = layoutChart(series([]));
		expect(c.bars).toEqual([]);
		expect(c.yTicks.map((t) => t.value)).toEqual([0, 1]);
	});

	it("keeps every bar inside the plot, each week's stack proportional to its count", () => {
		const counts = fc.array(fc.integer({ min: 0, max: 500 }), { minLength: CHART_WEEKS, maxLength: CHART_WEEKS });
		fc.assert(
			fc.property(fc.array(counts, { minLength: 0, maxLength: 6 }), (zoneCounts) => {
				const c = layoutChart(series(zoneCounts.map((counts, i) => ({ name: `Zone ${i}`, counts }))));
				for (const b of c.bars) {
					expect(b.x).toBeGreaterThanOrEqual(c.plot.left);
					expect(b.x + b.width).toBeLessThanOrEqual(c.plot.right + 0.01);
					expect(b.y).toBeGreaterThanOrEqual(c.plot.top - 0.01);
					expect(b.y + b.height).toBeLessThanOrEqual(c.plot.bottom + 0.01);
				}
				const top = c.yTicks.at(-1)?.value ?? 1;
				weeks.forEach((week, i) => {
					const stack = c.bars.filter((b) => b.week === week).reduce((h, b) => h + b.height, 0);
					const count = zoneCounts.reduce((n, z) => n + (z[i] ?? 0), 0);
					expect(stack).toBeCloseTo((count / top) * (c.plot.bottom - c.plot.top), 0);
				});
				expect(c.bars.length).toBe(zoneCounts.flat().filter((n) => n > 0).length);
			}),
		);
	});
});

describe("describeSeries", () => {
	it("names the total, the zones and the busiest week", () => {
		const text = describeSeries(series([{ name: "Hamrin", counts: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 1] }]));
		expect(text).toBe(`6 incidents in the last 12 weeks (Hamrin 6); the busiest week began 3 November 2025 with 5.`);
		expect(describeSeries(series([]))).toBe("No incidents recorded in the last 12 weeks.");
	});
});
