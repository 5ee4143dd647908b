import type { Child, FC } from "hono/jsx";
import { FONT_STACK, formatNumber, htmlAttributes, type Language, period, rich, t } from "../i18n";
import type { WeeklySeries } from "../incidents";
import { WeeklyChart } from "./chart";
import { COUNTDOWN_JS, countdownWords } from "./countdown";
import { ZoneMap } from "./map";
import type { MapData } from "./map-layout";
import { Health, LanguageSwitch, MilestoneTable, Outcome, SituationLine, UserText, Verified, When } from "./page-parts";
import type { StatusJson } from "./schema";
import type { Situation } from "./situations";

/** What a situation page puts above the status: its own title, description and language. */
export interface PageHeading {
	slug: string;
	/** In the language read (its `title_i18n`), or the original; `titleLang` marks the original when it is not that language. */
	title: string;
	titleLang: string | undefined;
	description: string;
	language: Language;
}

// Colours meet WCAG AA (4.5:1) for text on both backgrounds. Only logical properties
// (inline-start, not left), so one stylesheet lays out both directions.
const css = `
:root{color-scheme:light dark;--fg:#111;--bg:#fff;--muted:#555;--line:#d0d0d0;--bad:#a40000;--bad-bg:#fdecec;--warn:#7a4f00;--ok:#0a6b2f;--link:#0b57d0;--zone:#e3edf7;--edge:#0072B2;--pt:#D55E00}
@media (prefers-color-scheme:dark){:root{--fg:#eee;--bg:#121212;--muted:#b0b0b0;--line:#3a3a3a;--bad:#ff9a9a;--bad-bg:#3a1414;--warn:#f0c060;--ok:#7ddc9a;--link:#9ec1ff;--zone:#1b2733;--edge:#56B4E9;--pt:#ff9a5a}}
*{box-sizing:border-box}
body{font:16px/1.5 ${FONT_STACK};color:var(--fg);background:var(--bg);max-inline-size:56rem;margin-block:0;margin-inline:auto;padding:1rem}
a{color:var(--link)}h1{font-size:1.6rem;margin-block:.2rem}h2{font-size:1.15rem;margin-block-start:1.8rem;border-block-end:1px solid var(--line)}
table{border-collapse:collapse;inline-size:100%}caption{text-align:start}th,td{text-align:start;padding-block:.35rem;padding-inline:.5rem;border-block-end:1px solid var(--line);vertical-align:top}
.scroll{overflow-x:auto}.muted{color:var(--muted)}.small{font-size:.875rem}
.badge{display:inline-block;padding-inline:.5rem;border-radius:1rem;border:1px solid currentColor;font-size:.875rem}
.ok{color:var(--ok)}.degraded{color:var(--warn)}
tr.overdue td{color:var(--bad);background:var(--bad-bg)}tr.overdue .badge{font-weight:600}
time[data-countdown]{font-variant-numeric:tabular-nums;white-space:nowrap}
.chart{margin-block:1rem;margin-inline:0}.chart svg[data-chart]{inline-size:100%;block-size:auto;display:block}
.chart .axis line{stroke:var(--line)}.chart .axis text{fill:var(--muted);font-size:12px}
.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem;margin-block:.5rem}
.map{margin-block:1rem}.map svg[data-map]{inline-size:100%;block-size:auto;max-block-size:80vh;display:block;border:1px solid var(--line)}
.map .zone{fill:var(--zone);fill-rule:evenodd;stroke:var(--edge);stroke-width:1.5}.map .pt{fill:var(--pt);stroke:var(--bg);stroke-width:1}.map .pt.out{fill:var(--fg)}
.map .bubble{fill:var(--bg);stroke:var(--pt);stroke-width:2.5}.map .scale path{fill:none;stroke:var(--fg);stroke-width:2}
.map svg text{fill:var(--fg);font-size:13px;paint-order:stroke;stroke:var(--bg);stroke-width:3px;stroke-linejoin:round}.map .count text{font-weight:600}
.swatch{vertical-align:middle;margin-inline-end:.25rem}
.slips li{margin-block:.25rem}.situations li{margin-block:.4rem}
.languages a[aria-current]{font-weight:600;text-decoration:none;color:inherit}
@media (max-width:36rem){th,td{padding:.3rem}.chart .axis text{font-size:20px}.map svg text{font-size:22px}}
`;

const FAVICON =
	"data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Ccircle cx='8' cy='8' r='7' fill='%230072B2'/%3E%3C/svg%3E";

/**
 * The status page: the same data as /status plus the map and the weekly chart, readable with JS
 * off, in `lang` (its words, digits, dates and direction; user titles in their translation when
 * there is one). The whole instance lists its public `situations`; a situation `page` shows its
 * own heading, links to its own feeds and JSON, and renders `subscribe` (its form) below it.
 */
export const StatusPage: FC<{
	status: StatusJson;
	weekly: WeeklySeries;
	map: MapData;
	nonce: string;
	lang?: Language;
	page?: PageHeading;
	subscribe?: Child;
	situations?: Situation[];
}> = ({ status: s, weekly, map, nonce, lang = "en", page, subscribe, situations }) => {
	const nowMs = Date.parse(s.now);
	const state = t(lang, s.status === "ok" ? "status.ok" : "status.degraded");
	const base = page ? `/p/${page.slug}` : "";
	const links = {
		ics: page ? `${base}/milestones.ics` : "/feeds/milestones.ics",
		atom: page ? `${base}/incidents.atom` : "/feeds/incidents.atom",
		json: `${base}/status`,
	};
	return (
		<html {...htmlAttributes(lang)}>
			<head>
				<meta charset="utf-8" />
				<meta name="viewport" content="width=device-width, initial-scale=1" />
				<title>{page ? `${page.title}: ${state}` : t(lang, "status.page_title", { status: state })}</title>
				<meta name="description" content={page?.description || t(lang, "status.meta_description")} />
				<link rel="icon" href={FAVICON} />
				<link rel="alternate" type="application/atom+xml" title={t(lang, "status.feed_incidents")} href={links.atom} />
				{page ? null : <link rel="alternate" type="application/atom+xml" title={t(lang, "status.feed_outcomes")} href="/feeds/milestones.atom" />}
				<link rel="alternate" type="text/calendar" title={t(lang, "status.feed_milestones")} href={links.ics} />
				<style nonce={nonce} dangerouslySetInnerHTML={{ __html: css }} />
			</head>
			<body data-countdown={countdownWords(lang)}>
				<header>
					<LanguageSwitch lang={lang} />
					{page ? (
						<>
							<p class="muted small">
								<a href="/">{t(lang, "common.app")}</a> · {t(lang, "status.situation_page")}
							</p>
							<h1>
								<bdi lang={page.titleLang}>{page.title}</bdi>
							</h1>
							{page.description ? (
								<p>
									<bdi lang={page.language}>{page.description}</bdi>
								</p>
							) : null}
						</>
					) : (
						<h1>{t(lang, "common.app")}</h1>
					)}
					<p>
						{rich(lang, "status.state", {
							status: <span class={`badge ${s.status}`}>{state}</span>,
							time: (
								<span class="muted">
									<When lang={lang} iso={s.now} />
								</span>
							),
						})}
					</p>
					{s.reason ? (
						<p class="degraded" data-reason="">
							{/* The reason is written in English (status/health.ts): marked so on a page in another language. */}
							{lang === "en" ? s.reason : <bdi lang="en">{s.reason}</bdi>}
						</p>
					) : null}
					{s.configuration.ok ? null : (
						<div class="degraded" data-configuration="">
							<p>{t(lang, "status.configuration_incomplete")}</p>
							<ul lang="en" dir="ltr">
								{s.configuration.problems.map((p) => (
									<li>
										<code>{p.setting}</code> {p.problem}
									</li>
								))}
							</ul>
						</div>
					)}
				</header>
				{subscribe ? (
					<section id="subscribe" aria-label={t(lang, "status.subscribe_label")}>
						{subscribe}
					</section>
				) : null}
				<main>
					{situations && situations.length > 0 ? (
						<section aria-labelledby="situations">
							<h2 id="situations">{t(lang, "status.situations_heading")}</h2>
							<ul class="situations">
								{situations.map((x) => (
									<SituationLine lang={lang} s={x} nowMs={nowMs} />
								))}
							</ul>
						</section>
					) : null}
					<section aria-labelledby="next">
						<h2 id="next">{t(lang, "status.next_heading")}</h2>
						{s.milestones.next.length === 0 ? (
							<p class="muted">{t(lang, "status.next_none")}</p>
						) : (
							<MilestoneTable lang={lang} items={s.milestones.next} caption={t(lang, "status.next_caption")} nowMs={nowMs} />
						)}
					</section>
					<section aria-labelledby="overdue">
						<h2 id="overdue">{t(lang, "status.overdue_heading", { count: s.milestones.overdue })}</h2>
						{s.milestones.overdue === 0 ? (
							<p class="muted">{t(lang, "status.overdue_none")}</p>
						) : (
							<MilestoneTable lang={lang} items={s.milestones.overdue_items} overdue caption={t(lang, "status.overdue_caption")} nowMs={nowMs} />
						)}
					</section>
					<section aria-labelledby="awaiting">
						<h2 id="awaiting">{t(lang, "status.awaiting_heading", { count: s.milestones.awaiting_outcome })}</h2>
						{s.milestones.awaiting_outcome === 0 ? (
							<p class="muted">{t(lang, "status.awaiting_none")}</p>
						) : (
							<MilestoneTable lang={lang} items={s.milestones.awaiting_outcome_items} since caption={t(lang, "status.awaiting_caption")} nowMs={nowMs} />
						)}
					</section>
					<section aria-labelledby="outcomes">
						<h2 id="outcomes">{t(lang, "status.outcomes_heading")}</h2>
						{s.milestones.recent_outcomes.length === 0 ? (
							<p class="muted">{t(lang, "status.outcomes_none")}</p>
						) : (
							<ul class="slips" data-outcomes="">
								{s.milestones.recent_outcomes.map((o) => (
									<Outcome lang={lang} o={o} />
								))}
							</ul>
						)}
					</section>
					<section aria-labelledby="slips">
						<h2 id="slips">{t(lang, "status.slips_heading")}</h2>
						{s.milestones.recent_slips.length === 0 ? (
							<p class="muted">{t(lang, "status.slips_none")}</p>
						) : (
							<ul class="slips">
								{s.milestones.recent_slips.map((r) => (
									<li>
										{rich(lang, "status.slip", {
											title: (
												<strong>
													<UserText lang={lang} text={r.title} i18n={r.title_i18n} />
												</strong>
											),
											from: <time datetime={r.from}>{period(lang, r.from_due, "UTC", Date.parse(r.from))}</time>,
											to: <time datetime={r.to}>{period(lang, r.to_due, "UTC", Date.parse(r.to))}</time>,
											at: <When lang={lang} iso={r.at} />,
										})}
										{r.reason ? <span class="muted small"> {rich(lang, "status.slip_reason", { reason: <bdi>{r.reason}</bdi> })}</span> : null}
									</li>
								))}
							</ul>
						)}
					</section>
					<section aria-labelledby="incidents">
						<h2 id="incidents">{t(lang, "status.incidents_heading")}</h2>
						<p>
							{t(lang, "status.incidents_recent", { day: s.incidents.last_24h, week: s.incidents.last_7d })} <Verified lang={lang} weekly={weekly} />
							<span class="muted small"> {t(lang, "status.not_counted")}</span>.
						</p>
						<ZoneMap data={map} byZone={s.incidents.by_zone} lang={lang} />
						{s.incidents.by_zone.length > 0 ? (
							<div class="scroll">
								<table>
									<caption class="muted small">{t(lang, "status.by_zone")}</caption>
									<thead>
										<tr>
											<th scope="col">{t(lang, "status.col_zone")}</th>
											<th scope="col">{t(lang, "status.col_24h")}</th>
											<th scope="col">{t(lang, "status.col_7d")}</th>
										</tr>
									</thead>
									<tbody>
										{s.incidents.by_zone.map((z) => (
											<tr>
												<th scope="row">{z.zone === null ? t(lang, "common.no_zone") : <UserText lang={lang} text={z.name ?? z.zone} i18n={z.name_i18n} />}</th>
												<td>{formatNumber(lang, z.last_24h)}</td>
												<td>{formatNumber(lang, z.last_7d)}</td>
											</tr>
										))}
									</tbody>
								</table>
							</div>
						) : null}
						<WeeklyChart series={weekly} lang={lang} />
					</section>
					<Health lang={lang} s={s} />
				</main>
				<footer class="muted">
					<nav aria-label={t(lang, "status.nav_label")}>
						<p>
							<a href={links.ics}>{t(lang, "status.link_ics")}</a> · <a href={links.atom}>{t(lang, "status.link_atom")}</a> ·{" "}
							{page ? null : (
								<>
									<a href="/feeds/milestones.atom">{t(lang, "status.link_outcomes")}</a> ·{" "}
								</>
							)}
							<a href="/docs">{t(lang, "status.link_docs")}</a> · <a href="/openapi.json">{t(lang, "status.link_openapi")}</a> ·{" "}
							<a href={links.json}>{t(lang, "status.link_json")}</a>
						</p>
					</nav>
				</footer>
				<script nonce={nonce} dangerouslySetInnerHTML={{ __html: COUNTDOWN_JS }} />
			</body>
		</html>
	);
};
