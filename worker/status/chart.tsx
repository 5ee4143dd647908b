import type { FC } from "hono/jsx";
import { formatDay, formatDigits, formatNumber, type Language, LOCALES, t, translated } from "../i18n";
import type { WeeklySeries, ZoneSeries } from "../incidents";
import { layoutChart, shortDate } from "./chart-layout";

/** A series' name in `lang`: the zone's translation, or the page's words for "no zone" and "other zones". */
export function seriesName(lang: Language, z: ZoneSeries): string {
	if (z.group === "none") return t(lang, "common.no_zone");
	if (z.group === "other") return t(lang, "chart.other_zones");
	return translated(lang, z.name, z.nameI18n).text;
}

/** A week start under the axis: "3 Nov" in English, "٣/١١" where month names are too long for a phone. */
export function weekLabel(lang: Language, ms: number): string {
	if (lang === "en") return shortDate(ms);
	const d = new Date(ms);
	return `${formatDigits(lang, d.getUTCDate())}/${formatDigits(lang, d.getUTCMonth() + 1)}`;
}

const weekDate = (lang: Language, ms: number) => {
	const d = new Date(ms);
	return formatDay(lang, d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
};

/** One sentence that says what the chart shows, for its <desc> and for screen readers. */
export function describeSeries(s: WeeklySeries, lang: Language = "en"): string {
	if (s.total === 0) return t(lang, "chart.empty", { weeks: s.weeks.length });
	const totals = s.weeks.map((_, i) => s.zones.reduce((n, z) => n + (z.counts[i] ?? 0), 0));
	const peak = totals.indexOf(Math.max(...totals));
	const zones = s.zones.map((z) => `${seriesName(lang, z)} ${formatNumber(lang, z.total)}`).join(lang === "en" ? ", " : "، ");
	return t(lang, "chart.summary", { total: s.total, weeks: s.weeks.length, zones, peak: weekDate(lang, s.weeks[peak] ?? 0), peakCount: totals[peak] ?? 0 });
}

/**
 * Incidents per week by zone: an inline SVG stacked bar chart, then the same numbers as a table.
 * The SVG's own direction stays ltr: its coordinates are absolute, and layoutChart mirrors them
 * for right-to-left pages, so text anchors must not flip a second time.
 */
export const WeeklyChart: FC<{ series: WeeklySeries; lang?: Language }> = ({ series, lang = "en" }) => {
	const rtl = LOCALES[lang].dir === "rtl";
	const c = layoutChart(series, { rtl, weekLabel: (ms) => weekLabel(lang, ms), zoneName: (z) => seriesName(lang, z) });
	return (
		<figure class="chart">
			<svg viewBox={`0 0 ${c.width} ${c.height}`} role="img" aria-labelledby="chart-title chart-desc" data-chart="incidents-weekly" direction="ltr">
				<title id="chart-title">{t(lang, "chart.title", { weeks: series.weeks.length })}</title>
				<desc id="chart-desc">{describeSeries(series, lang)}</desc>
				<g class="axis">
					{c.yTicks.map((tick) => (
						<g>
							<line x1={c.plot.left} x2={c.plot.right} y1={tick.y} y2={tick.y} />
							<text x={c.yLabel.x} y={tick.y + 4} text-anchor={c.yLabel.anchor}>
								{formatNumber(lang, tick.value)}
							</text>
						</g>
					))}
					{c.xLabels.map((l) => (
						<text x={l.x} y={c.height - 8} text-anchor="middle">
							{l.text}
						</text>
					))}
				</g>
				<g>
					{c.bars.map((b) => (
						<rect x={b.x} y={b.y} width={b.width} height={b.height} fill={b.fill}>
							<title>{t(lang, "chart.bar", { zone: b.zone, week: weekDate(lang, b.week), count: b.count })}</title>
						</rect>
					))}
				</g>
			</svg>
			<figcaption>
				<ul class="legend">
					{c.legend.map((l) => (
						<li>
							<svg viewBox="0 0 10 10" width="10" height="10" aria-hidden="true">
								<rect width="10" height="10" fill={l.fill} />
							</svg>{" "}
							<bdi>{l.name}</bdi> ({formatNumber(lang, l.total)})
						</li>
					))}
				</ul>
			</figcaption>
			<details>
				<summary>{t(lang, "chart.table_summary")}</summary>
				<div class="scroll">
					<table>
						<caption>{t(lang, "chart.table_caption")}</caption>
						<thead>
							<tr>
								<th scope="col">{t(lang, "chart.col_week")}</th>
								{series.zones.map((z) => (
									<th scope="col">
										<bdi>{seriesName(lang, z)}</bdi>
									</th>
								))}
							</tr>
						</thead>
						<tbody>
							{series.weeks.map((w, i) => (
								<tr>
									<th scope="row">
										<time datetime={new Date(w).toISOString().slice(0, 10)}>{weekDate(lang, w)}</time>
									</th>
									{series.zones.map((z) => (
										<td>{formatNumber(lang, z.counts[i] ?? 0)}</td>
									))}
								</tr>
							))}
						</tbody>
					</table>
				</div>
			</details>
		</figure>
	);
};
