import type { FC } from "hono/jsx";
import type { WeeklySeries } from "../incidents";
import { layoutChart, shortDate } from "./chart-layout";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** One sentence that says what the chart shows, for its <desc> and for screen readers. */
export function describeSeries(s: WeeklySeries): string {
	if (s.total === 0) return `No incidents recorded in the last ${s.weeks.length} weeks.`;
	const totals = s.weeks.map((_, i) => s.zones.reduce((n, z) => n + (z.counts[i] ?? 0), 0));
	const peak = totals.indexOf(Math.max(...totals));
	const zones = s.zones.map((z) => `${z.name} ${z.total}`).join(", ");
	return `${plural(s.total, "incident")} in the last ${s.weeks.length} weeks (${zones}); the busiest week began ${shortDate(s.weeks[peak] ?? 0)} with ${totals[peak]}.`;
}

/** Incidents per week by zone: an inline SVG stacked bar chart, then the same numbers as a table. */
export const WeeklyChart: FC<{ series: WeeklySeries }> = ({ series }) => {
	const c = layoutChart(series);
	return (
		<figure class="chart">
			<svg viewBox={`0 0 ${c.width} ${c.height}`} role="img" aria-labelledby="chart-title chart-desc" data-chart="incidents-weekly">
				<title id="chart-title">Incidents per week by zone, last {series.weeks.length} weeks</title>
				<desc id="chart-desc">{describeSeries(series)}</desc>
				<g class="axis">
					{c.yTicks.map((t) => (
						<g>
							<line x1={c.plot.left} x2={c.plot.right} y1={t.y} y2={t.y} />
							<text x={c.plot.left - 6} y={t.y + 4} text-anchor="end">
								{t.value}
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
							<title>{`${b.zone}, week of ${shortDate(b.week)}: ${b.count}`}</title>
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
							{l.name} ({l.total})
						</li>
					))}
				</ul>
			</figcaption>
			<details>
				<summary>The numbers as a table</summary>
				<div class="scroll">
					<table>
						<caption>Incidents per week (weeks start Monday, UTC)</caption>
						<thead>
							<tr>
								<th scope="col">Week of</th>
								{series.zones.map((z) => (
									<th scope="col">{z.name}</th>
								))}
							</tr>
						</thead>
						<tbody>
							{series.weeks.map((w, i) => (
								<tr>
									<th scope="row">
										<time datetime={new Date(w).toISOString().slice(0, 10)}>{shortDate(w)}</time>
									</th>
									{series.zones.map((z) => (
										<td>{z.counts[i] ?? 0}</td>
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
