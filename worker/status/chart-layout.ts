import type { WeeklySeries } from "../incidents";

/** Okabe-Ito hues, told apart by colour-blind readers; yellow left out (too faint on white). */
export const PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"] as const;
export const OTHER_FILL = "#8C8C8C";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "3 Nov": a week start as a short UTC date. */
export function shortDate(ms: number): string {
	const d = new Date(ms);
	return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
}

/** The smallest 1-2-5 step that draws the axis in at most `maxTicks` steps. */
export function niceStep(max: number, maxTicks = 5): number {
	if (max <= 0) return 1;
	const raw = max / maxTicks;
	const magnitude = 10 ** Math.floor(Math.log10(raw));
	const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
	return Math.max(1, step);
}

export interface Bar {
	x: number;
	y: number;
	width: number;
	height: number;
	fill: string;
	zone: string;
	week: number;
	count: number;
}

export interface ChartLayout {
	width: number;
	height: number;
	plot: { left: number; right: number; top: number; bottom: number };
	bars: Bar[];
	yTicks: { y: number; value: number }[];
	xLabels: { x: number; text: string }[];
	legend: { name: string; fill: string; total: number }[];
}

/** The fill of the i-th zone series ("Other zones" is always grey). */
export function zoneFill(name: string, index: number): string {
	return name === "Other zones" ? OTHER_FILL : (PALETTE[index % PALETTE.length] ?? OTHER_FILL);
}

/**
 * Places a stacked bar per week (one segment per zone, in series order, bottom up) in a
 * `width` x `height` box: pure geometry, no markup, so it is tested without rendering.
 */
export function layoutChart(series: WeeklySeries, width = 640, height = 260): ChartLayout {
	// Margins leave room for the axis labels at the larger size phones get (see the page CSS).
	const plot = { left: 40, right: width - 24, top: 16, bottom: height - 28 };
	const plotW = plot.right - plot.left;
	const plotH = plot.bottom - plot.top;
	const n = series.weeks.length;
	const weekTotals = series.weeks.map((_, i) => series.zones.reduce((sum, z) => sum + (z.counts[i] ?? 0), 0));
	const step = niceStep(Math.max(0, ...weekTotals));
	const yMax = Math.max(step, Math.ceil(Math.max(0, ...weekTotals) / step) * step);
	const scale = plotH / yMax;
	const band = n > 0 ? plotW / n : plotW;
	const barW = band * 0.7;
	const round = (v: number) => Math.round(v * 100) / 100;

	const bars: Bar[] = [];
	series.weeks.forEach((week, i) => {
		let base = plot.bottom;
		series.zones.forEach((z, zi) => {
			const count = z.counts[i] ?? 0;
			if (count <= 0) return;
			// Round the edges, not the heights, so stacked segments meet exactly and never leave the plot.
			const bottom = round(base);
			base -= count * scale;
			const top = round(base);
			bars.push({
				x: round(plot.left + i * band + (band - barW) / 2),
				y: top,
				width: round(barW),
				height: round(bottom - top),
				fill: zoneFill(z.name, zi),
				zone: z.name,
				week,
				count,
			});
		});
	});
	const yTicks = [];
	for (let v = 0; v <= yMax; v += step) yTicks.push({ y: round(plot.bottom - v * scale), value: v });
	// Every second week is labelled, ending with the current one, so labels stay legible on a phone.
	const xLabels = series.weeks.flatMap((week, i) => ((n - 1 - i) % 2 === 0 ? [{ x: round(plot.left + i * band + band / 2), text: shortDate(week) }] : []));
	const legend = series.zones.map((z, zi) => ({ name: z.name, fill: zoneFill(z.name, zi), total: z.total }));
	return { width, height, plot, bars, yTicks, xLabels, legend };
}
