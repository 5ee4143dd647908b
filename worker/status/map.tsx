import type { FC } from "hono/jsx";
import { layoutMap, MAP_POINT_CAP, type MapData, type MapLayout, tenth } from "./map-layout";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const km = new Intl.NumberFormat("en");

// Every word the map shows, in one place (the message catalogues will take them from here).
const text = {
	title: "Map of zones and incidents, last 7 days",
	zone: "Zone outline",
	point: "Incident in a zone",
	outside: "Incident outside any zone",
	count: "Incidents in the zone in the last 7 days (the larger the circle, the more)",
	scale: (d: number) => `${km.format(d)} km`,
	countTitle: (name: string, n: number) => `${name}: ${plural(n, "incident")} in the last 7 days`,
	noOutline: (names: string[]) => `Not drawn, no outline: ${names.join(", ")}.`,
	nothing: (tooMany: number | null) =>
		tooMany === null
			? "Nothing to map: no zone has an outline and no incident of the last 7 days has coordinates."
			: `Nothing to map: no zone has an outline, and the last 7 days' ${plural(tooMany, "incident")} are too many to draw one by one.`,
};

/** What the map shows and leaves out, in words: its <desc>, and the sentence under it. */
export function describeMap(layout: MapLayout, withoutOutline: number): string {
	const s = layout.summary;
	const zones = `${plural(s.zones, "zone")} drawn${withoutOutline > 0 ? ` (${withoutOutline} without an outline not drawn)` : ""}`;
	const outside = layout.points.filter((p) => !p.zoned).length;
	const how =
		s.mode === "points"
			? `${s.incidents - s.notDrawn} drawn as points${outside > 0 ? ` (${outside} outside any zone)` : ""}`
			: `more than ${MAP_POINT_CAP}, so drawn as a count per zone`;
	const why = s.mode === "points" ? "without coordinates" : "outside any zone or in a zone without an outline";
	const left = s.notDrawn > 0 ? `; ${s.notDrawn} not drawn, ${why}` : "";
	return `${zones}; ${plural(s.incidents, "incident")} in the last 7 days, ${how}${left}.`;
}

/** A legend swatch: the same mark the map draws, so shape, not colour alone, tells them apart. */
const Swatch: FC<{ kind: "zone" | "point" | "outside" | "count" }> = ({ kind }) => (
	<svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" class="swatch">
		{kind === "zone" ? <rect class="zone" x="1" y="3" width="14" height="10" /> : null}
		{kind === "point" ? <circle class="pt" cx="8" cy="8" r="4" /> : null}
		{kind === "outside" ? <rect class="pt out" x="4" y="4" width="8" height="8" /> : null}
		{kind === "count" ? <circle class="bubble" cx="8" cy="8" r="6" /> : null}
	</svg>
);

/**
 * The zones and the last 7 days' incidents as an inline SVG (no tiles, no script), with a scale
 * bar and a text alternative; zones without an outline are listed under it.
 */
export const ZoneMap: FC<{ data: MapData; byZone: readonly { zone: string | null; last_7d: number }[] }> = ({ data, byZone }) => {
	const m = layoutMap(data, byZone);
	const withoutOutline = data.zones.filter((z) => z.polygon === null).map((z) => z.name);
	const tooMany = "tooMany" in data.incidents ? byZone.reduce((n, z) => n + z.last_7d, 0) : null;
	return (
		<figure class="map" data-map-figure="">
			{m ? (
				<svg viewBox={`0 0 ${m.width} ${m.height}`} role="img" aria-labelledby="map-title map-desc" data-map="zones-incidents">
					<title id="map-title">{text.title}</title>
					<desc id="map-desc">{describeMap(m, withoutOutline.length)}</desc>
					<g>
						{m.zones.map((z) =>
							z.d ? (
								<path class="zone" d={z.d}>
									<title>{z.name}</title>
								</path>
							) : null,
						)}
					</g>
					<g>
						{m.points.map((p) =>
							p.zoned ? <circle class="pt" cx={p.x} cy={p.y} r="4" /> : <rect class="pt out" x={tenth(p.x - 4)} y={tenth(p.y - 4)} width="8" height="8" />,
						)}
					</g>
					{m.counts.map((c) => (
						<g class="count">
							<title>{text.countTitle(c.name, c.n)}</title>
							<circle class="bubble" cx={c.x} cy={c.y} r={c.r} />
							<text x={c.x} y={c.y} dy="0.35em" text-anchor="middle">
								{c.n}
							</text>
						</g>
					))}
					{m.labels
						? m.zones.map((z) => {
								const below = m.counts.find((c) => c.slug === z.slug);
								return z.label ? (
									<text
										class="label"
										x={z.label[0]}
										y={below ? tenth(z.label[1] + below.r + 4) : z.label[1]}
										dy={below ? "0.8em" : "0.35em"}
										text-anchor="middle"
									>
										{z.name}
									</text>
								) : null;
							})
						: null}
					<g class="scale">
						<path d={`M${m.scale.x} ${m.scale.y - 6}V${m.scale.y}H${tenth(m.scale.x + m.scale.px)}V${m.scale.y - 6}`} />
						<text x={tenth(m.scale.x + m.scale.px / 2)} y={m.scale.y - 8} text-anchor="middle">
							{text.scale(m.scale.km)}
						</text>
					</g>
				</svg>
			) : (
				<p class="muted">{text.nothing(tooMany)}</p>
			)}
			<figcaption>
				{m ? (
					<ul class="legend">
						<li>
							<Swatch kind="zone" /> {text.zone}
						</li>
						{m.summary.mode === "points" ? (
							<>
								<li>
									<Swatch kind="point" /> {text.point}
								</li>
								<li>
									<Swatch kind="outside" /> {text.outside}
								</li>
							</>
						) : (
							<li>
								<Swatch kind="count" /> {text.count}
							</li>
						)}
					</ul>
				) : null}
				{m ? <p class="small">{describeMap(m, withoutOutline.length)}</p> : null}
				{withoutOutline.length > 0 ? (
					<p class="small" data-not-drawn="">
						{text.noOutline(withoutOutline)}
					</p>
				) : null}
			</figcaption>
		</figure>
	);
};
