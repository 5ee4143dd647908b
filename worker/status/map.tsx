import type { FC } from "hono/jsx";
import { type Language, t } from "../i18n";
import { layoutMap, MAP_POINT_CAP, type MapData, type MapLayout, tenth } from "./map-layout";

/** What the map shows and leaves out, in words: its <desc>, and the sentence under it. */
export function describeMap(layout: MapLayout, withoutOutline: number, lang: Language = "en"): string {
	const s = layout.summary;
	const zones = withoutOutline > 0 ? t(lang, "map.zones_without", { count: s.zones, without: withoutOutline }) : t(lang, "map.zones", { count: s.zones });
	const outside = layout.points.filter((p) => !p.zoned).length;
	const drawn = s.incidents - s.notDrawn;
	const how =
		s.mode === "points"
			? outside > 0
				? t(lang, "map.points_outside", { count: drawn, outside })
				: t(lang, "map.points", { count: drawn })
			: t(lang, "map.counted", { cap: MAP_POINT_CAP });
	const left =
		s.notDrawn === 0 ? "" : s.mode === "points" ? t(lang, "map.left_points", { count: s.notDrawn }) : t(lang, "map.left_counts", { count: s.notDrawn });
	return t(lang, "map.summary", { zones, incidents: s.incidents, how, left });
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
export const ZoneMap: FC<{ data: MapData; byZone: readonly { zone: string | null; last_7d: number }[]; lang?: Language }> = ({ data, byZone, lang = "en" }) => {
	const m = layoutMap(data, byZone);
	const withoutOutline = data.zones.filter((z) => z.polygon === null).map((z) => z.name);
	const tooMany = "tooMany" in data.incidents ? byZone.reduce((n, z) => n + z.last_7d, 0) : null;
	return (
		<figure class="map" data-map-figure="">
			{m ? (
				<svg viewBox={`0 0 ${m.width} ${m.height}`} role="img" aria-labelledby="map-title map-desc" data-map="zones-incidents">
					<title id="map-title">{t(lang, "map.title")}</title>
					<desc id="map-desc">{describeMap(m, withoutOutline.length, lang)}</desc>
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
							<title>{t(lang, "map.count_title", { zone: c.name, count: c.n })}</title>
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
							{t(lang, "map.scale", { km: m.scale.km })}
						</text>
					</g>
				</svg>
			) : (
				<p class="muted">{tooMany === null ? t(lang, "map.nothing") : t(lang, "map.nothing_too_many", { count: tooMany })}</p>
			)}
			<figcaption>
				{m ? (
					<ul class="legend">
						<li>
							<Swatch kind="zone" /> {t(lang, "map.zone")}
						</li>
						{m.summary.mode === "points" ? (
							<>
								<li>
									<Swatch kind="point" /> {t(lang, "map.point")}
								</li>
								<li>
									<Swatch kind="outside" /> {t(lang, "map.outside")}
								</li>
							</>
						) : (
							<li>
								<Swatch kind="count" /> {t(lang, "map.count")}
							</li>
						)}
					</ul>
				) : null}
				{m ? <p class="small">{describeMap(m, withoutOutline.length, lang)}</p> : null}
				{withoutOutline.length > 0 ? (
					<p class="small" data-not-drawn="">
						{t(lang, "map.no_outline", { names: withoutOutline.join(", ") })}
					</p>
				) : null}
			</figcaption>
		</figure>
	);
};
