import type { WeeklySeries, ZoneSeries } from "../incidents";

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
	/** Where the value labels stand: beside the axis, outside the plot, anchored away from it. */
	yLabel: { x: number; anchor: "start" | "end" };
	yTicks: { y: number; value: number }[];
	xLabels: { x: number; text: string }[];
	legend: { name: string; fill: string; total: number }[];
}

/** The fill of the i-th zone series (the quieter zones summed are always grey). */
export function zoneFill(zone: Pick<ZoneSeries, "group">, index: number): string {
	return zone.group === "other" ? OTHER_FILL : (PALETTE[index % PALETTE.length] ?? OTHER_FILL);
}

export interface ChartOptions {
	/** Right to left: time runs from right to left and the value axis stands on the right. */
	rtl?: boolean;
	/** A week's label under the axis (a week start, ms). */
	weekLabel?: (ms: number) => string;
	/** A series' name in the legend and the bars' titles. */
	zoneName?: (zone: ZoneSeries) => string;
}

/**
 * Places a stacked bar per week (one segment per zone, in series order, bottom up) in a
 * `width` x `height` box: pure geometry, no markup, so it is tested without rendering. In RTL
 * every x is mirrored, so the newest week is on the left and the axis on the right.
 */
export function layoutChart(series: WeeklySeries, options: ChartOptions = {}, width = 640, height = 260): ChartLayout {
	const { rtl = false, weekLabel = shortDate, zoneName = (z: ZoneSeries) => z.name } = options;
	// Margins leave room for the axis labels at the larger size phones get (see the page CSS).
	const axisSide = 40;
	const farSide = 24;
	const plot = rtl
		? { left: farSide, right: width - axisSide, top: 16, bottom: height - 28 }
		: { left: axisSide, right: width - farSide, top: 16, bottom: height - 28 };
	// Positions are laid out left to right from `start`, then mirrored for RTL.
	const start = axisSide;
	const flip = (x: number, w = 0) => (rtl ? width - x - w : x);
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
				x: round(flip(start + i * band + (band - barW) / 2, barW)),
				y: top,
				width: round(barW),
				height: round(bottom - top),
				fill: zoneFill(z, zi),
				zone: zoneName(z),
				week,
				count,
			});
		});
	});
	const yTicks = [];
	for (let v = 0; v <= yMax; v += step) yTicks.push({ y: round(plot.bottom - v * scale), value: v });
	// Every second week is labelled, ending with the current one, so labels stay legible on a phone.
	const xLabels = series.weeks.flatMap((week, i) => ((n - 1 - i) % 2 === 0 ? [{ x: round(flip(start + i * band + band / 2)), text: weekLabel(week) }] : []));
	const legend = series.zones.map((z, zi) => ({ name: zoneName(z), fill: zoneFill(z, zi), total: z.total }));
	const yLabel = rtl ? { x: plot.right + 6, anchor: "start" as const } : { x: plot.left - 6, anchor: "end" as const };
	return { width, height, plot, bars, yLabel, yTicks, xLabels, legend };
}
