import type { Child, FC } from "hono/jsx";
import type { WeeklySeries } from "../incidents";
import { OUTCOME_LABELS } from "../milestones";
import { WeeklyChart } from "./chart";
import { COUNTDOWN_JS } from "./countdown";
import { ZoneMap } from "./map";
import type { MapData } from "./map-layout";
import type { OverdueMilestoneJson, StatusJson, UpcomingMilestoneJson } from "./schema";
import type { Situation } from "./situations";

/** What a situation page puts above the status: its own title, description and language. */
export interface PageHeading {
	slug: string;
	title: string;
	description: string;
	language: string;
}

// Colours meet WCAG AA (4.5:1) for text on both backgrounds.
const css = `
:root{color-scheme:light dark;--fg:#111;--bg:#fff;--muted:#555;--line:#d0d0d0;--bad:#a40000;--bad-bg:#fdecec;--warn:#7a4f00;--ok:#0a6b2f;--link:#0b57d0;--zone:#e3edf7;--edge:#0072B2;--pt:#D55E00}
@media (prefers-color-scheme:dark){:root{--fg:#eee;--bg:#121212;--muted:#b0b0b0;--line:#3a3a3a;--bad:#ff9a9a;--bad-bg:#3a1414;--warn:#f0c060;--ok:#7ddc9a;--link:#9ec1ff;--zone:#1b2733;--edge:#56B4E9;--pt:#ff9a5a}}
*{box-sizing:border-box}
body{font:16px/1.5 system-ui,sans-serif;color:var(--fg);background:var(--bg);max-width:56rem;margin:0 auto;padding:1rem}
a{color:var(--link)}h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.15rem;margin-top:1.8rem;border-bottom:1px solid var(--line)}
table{border-collapse:collapse;width:100%}caption{text-align:left}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
.scroll{overflow-x:auto}.muted{color:var(--muted)}.small{font-size:.875rem}
.badge{display:inline-block;padding:0 .5rem;border-radius:1rem;border:1px solid currentColor;font-size:.875rem}
.ok{color:var(--ok)}.degraded{color:var(--warn)}
tr.overdue td{color:var(--bad);background:var(--bad-bg)}tr.overdue .badge{font-weight:600}
time[data-countdown]{font-variant-numeric:tabular-nums;white-space:nowrap}
.chart{margin:1rem 0}.chart svg[data-chart]{width:100%;height:auto;display:block}
.chart .axis line{stroke:var(--line)}.chart .axis text{fill:var(--muted);font-size:12px}
.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem;margin:.5rem 0}
.map{margin:1rem 0}.map svg[data-map]{width:100%;height:auto;max-height:80vh;display:block;border:1px solid var(--line)}
.map .zone{fill:var(--zone);fill-rule:evenodd;stroke:var(--edge);stroke-width:1.5}.map .pt{fill:var(--pt);stroke:var(--bg);stroke-width:1}.map .pt.out{fill:var(--fg)}
.map .bubble{fill:var(--bg);stroke:var(--pt);stroke-width:2.5}.map .scale path{fill:none;stroke:var(--fg);stroke-width:2}
.map svg text{fill:var(--fg);font-size:13px;paint-order:stroke;stroke:var(--bg);stroke-width:3px;stroke-linejoin:round}.map .count text{font-weight:600}
.swatch{vertical-align:middle;margin-inline-end:.25rem}
.slips li{margin:.25rem 0}.situations li{margin:.4rem 0}
@media (max-width:36rem){th,td{padding:.3rem}.chart .axis text{font-size:20px}.map svg text{font-size:22px}}
`;

const FAVICON =
	"data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Ccircle cx='8' cy='8' r='7' fill='%230072B2'/%3E%3C/svg%3E";

const utc = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;

const MilestoneRow: FC<{ m: UpcomingMilestoneJson & Partial<Pick<OverdueMilestoneJson, "acknowledged">>; overdue?: boolean }> = ({ m, overdue }) => (
	<tr class={overdue ? "overdue" : undefined} data-kind={m.kind}>
		<td>
			{overdue ? <span class="badge">Overdue</span> : null} {m.title}
			{m.slip_count > 0 ? <span class="muted small"> (moved {m.slip_count}×)</span> : null}
			{m.acknowledged ? (
				<span class="muted small">
					{" "}
					(acknowledged by {m.acknowledged.by_kind === "admin" ? "an admin" : `a ${m.acknowledged.by_kind}`}, {utc(m.acknowledged.at)})
				</span>
			) : null}
		</td>
		<td>
			{m.due_label}
			<br />
			<span class="muted small">{utc(m.due_at)}</span>
		</td>
		<td>
			<time datetime={m.due_at} data-countdown="">
				{m.time_left}
			</time>
		</td>
	</tr>
);

const MilestoneTable: FC<{
	items: (UpcomingMilestoneJson & Partial<Pick<OverdueMilestoneJson, "acknowledged">>)[];
	overdue?: boolean;
	/** Past events: how long since their day came (not "overdue by"). */
	since?: boolean;
	caption: string;
}> = ({ items, overdue, since, caption }) => (
	<div class="scroll">
		<table>
			<caption class="muted small">{caption}</caption>
			<thead>
				<tr>
					<th scope="col">Milestone</th>
					<th scope="col">Due</th>
					<th scope="col">{overdue ? "Overdue by" : since ? "Since" : "Time left"}</th>
				</tr>
			</thead>
			<tbody>
				{items.map((m) => (
					<MilestoneRow m={m} overdue={overdue} />
				))}
			</tbody>
		</table>
	</div>
);

const percent = (share: number | null) => (share === null ? "n/a" : `${Math.round(share * 100)}%`);

/** The one-line state `/` shows for a public page. */
const SituationLine: FC<{ s: Situation }> = ({ s }) => (
	<li data-situation={s.slug}>
		<a href={`/p/${s.slug}`} lang={s.language}>
			{s.title}
		</a>
		:{" "}
		{s.next ? (
			<>
				next {s.next.title}, {s.next.due_label} ({s.next.time_left})
			</>
		) : (
			"nothing scheduled ahead"
		)}
		; {s.overdue} overdue; {s.incidents_7d} incidents in 7 days
	</li>
);

/**
 * The status page: the same data as /status plus the weekly chart, readable with JS off. The
 * whole instance lists its public `situations`; a situation `page` shows its own heading, links to
 * its own feeds and JSON, and renders `subscribe` (its subscription form) below the heading.
 */
export const StatusPage: FC<{
	status: StatusJson;
	weekly: WeeklySeries;
	map: MapData;
	nonce: string;
	page?: PageHeading;
	subscribe?: Child;
	situations?: Situation[];
}> = ({ status: s, weekly, map, nonce, page, subscribe, situations }) => {
	const base = page ? `/p/${page.slug}` : "";
	const links = {
		ics: page ? `${base}/milestones.ics` : "/feeds/milestones.ics",
		atom: page ? `${base}/incidents.atom` : "/feeds/incidents.atom",
		json: `${base}/status`,
	};
	const name = page ? page.title : "Vigil";
	return (
		<html lang="en">
			<head>
				<meta charset="utf-8" />
				<meta name="viewport" content="width=device-width, initial-scale=1" />
				<title>{`${page ? page.title : "Vigil status"}: ${s.status}`}</title>
				<meta name="description" content={page?.description || "Next milestones, slips, incidents per week and alert health."} />
				<link rel="icon" href={FAVICON} />
				<link rel="alternate" type="application/atom+xml" title={`${name}: verified incidents`} href={links.atom} />
				{page ? null : <link rel="alternate" type="application/atom+xml" title="Vigil: milestones and their outcomes" href="/feeds/milestones.atom" />}
				<link rel="alternate" type="text/calendar" title={`${name}: milestones`} href={links.ics} />
				<style nonce={nonce} dangerouslySetInnerHTML={{ __html: css }} />
			</head>
			<body>
				<header>
					{page ? (
						<>
							<p class="muted small">
								<a href="/">Vigil</a> · situation page
							</p>
							<h1 lang={page.language}>{page.title}</h1>
							{page.description ? <p lang={page.language}>{page.description}</p> : null}
						</>
					) : (
						<h1>Vigil</h1>
					)}
					<p>
						Status: <span class={`badge ${s.status}`}>{s.status}</span>{" "}
						<span class="muted">
							as of <time datetime={s.now}>{utc(s.now)}</time>
						</span>
					</p>
					{s.reason ? (
						<p class="degraded" data-reason="">
							{s.reason}
						</p>
					) : null}
					{s.configuration.ok ? null : (
						<div class="degraded" data-configuration="">
							<p>Configuration incomplete:</p>
							<ul>
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
					<section id="subscribe" aria-label="Subscribe">
						{subscribe}
					</section>
				) : null}
				<main>
					{situations && situations.length > 0 ? (
						<section aria-labelledby="situations">
							<h2 id="situations">Situations</h2>
							<ul class="situations">
								{situations.map((x) => (
									<SituationLine s={x} />
								))}
							</ul>
						</section>
					) : null}
					<section aria-labelledby="next">
						<h2 id="next">Next milestones</h2>
						{s.milestones.next.length === 0 ? (
							<p class="muted">No scheduled milestones ahead.</p>
						) : (
							<MilestoneTable items={s.milestones.next} caption="Scheduled milestones, soonest first" />
						)}
					</section>
					<section aria-labelledby="overdue">
						<h2 id="overdue">Overdue ({s.milestones.overdue})</h2>
						{s.milestones.overdue === 0 ? (
							<p class="muted">Nothing overdue.</p>
						) : (
							<MilestoneTable items={s.milestones.overdue_items} overdue caption="Still scheduled after their due time" />
						)}
					</section>
					<section aria-labelledby="awaiting">
						<h2 id="awaiting">Awaiting outcome ({s.milestones.awaiting_outcome})</h2>
						{s.milestones.awaiting_outcome === 0 ? (
							<p class="muted">No past event is waiting for its outcome.</p>
						) : (
							<MilestoneTable items={s.milestones.awaiting_outcome_items} since caption="Events whose day has come, with no outcome recorded yet" />
						)}
					</section>
					<section aria-labelledby="outcomes">
						<h2 id="outcomes">Recent outcomes</h2>
						{s.milestones.recent_outcomes.length === 0 ? (
							<p class="muted">No outcome recorded in the last 30 days.</p>
						) : (
							<ul class="slips" data-outcomes="">
								{s.milestones.recent_outcomes.map((o) => (
									<li>
										<span class="badge">{OUTCOME_LABELS[o.outcome]}</span> <strong>{o.title}</strong> ({o.due_label}): {o.note}
										{o.source_url ? (
											<>
												{" "}
												<a href={o.source_url} rel="noopener noreferrer nofollow">
													source
												</a>
											</>
										) : null}{" "}
										<span class="muted small">recorded {utc(o.at)}</span>
									</li>
								))}
							</ul>
						)}
					</section>
					<section aria-labelledby="slips">
						<h2 id="slips">Recent slips</h2>
						{s.milestones.recent_slips.length === 0 ? (
							<p class="muted">No due date has moved in the last 30 days.</p>
						) : (
							<ul class="slips">
								{s.milestones.recent_slips.map((r) => (
									<li>
										<strong>{r.title}</strong>: moved from <time datetime={r.from}>{r.from_due}</time> to <time datetime={r.to}>{r.to_due}</time>
										{r.reason ? ` (${r.reason})` : ""} <span class="muted small">on {utc(r.at)}</span>
									</li>
								))}
							</ul>
						)}
					</section>
					<section aria-labelledby="incidents">
						<h2 id="incidents">Incidents</h2>
						<p>
							{s.incidents.last_24h} in the last 24 hours, {s.incidents.last_7d} in the last 7 days. Verified:{" "}
							<strong data-verified-share="">{percent(weekly.verifiedShare)}</strong> of {weekly.total} in the last {weekly.weeks.length} weeks
							<span class="muted small"> (retracted and rejected reports are not counted)</span>.
						</p>
						<ZoneMap data={map} byZone={s.incidents.by_zone} />
						{s.incidents.by_zone.length > 0 ? (
							<div class="scroll">
								<table>
									<caption class="muted small">By zone</caption>
									<thead>
										<tr>
											<th scope="col">Zone</th>
											<th scope="col">Last 24 hours</th>
											<th scope="col">Last 7 days</th>
										</tr>
									</thead>
									<tbody>
										{s.incidents.by_zone.map((z) => (
											<tr>
												<th scope="row">{z.name ?? z.zone ?? "No zone"}</th>
												<td>{z.last_24h}</td>
												<td>{z.last_7d}</td>
											</tr>
										))}
									</tbody>
								</table>
							</div>
						) : null}
						<WeeklyChart series={weekly} />
					</section>
					<section aria-labelledby="health">
						<h2 id="health">Alerts and crons</h2>
						<p class={s.alerts.failed > 0 ? "degraded" : undefined}>
							Alerts pending: {s.alerts.pending}, failed: {s.alerts.failed}
							{s.alerts.last_sent_at ? `, last sent ${utc(s.alerts.last_sent_at)}` : ", none sent yet"}.
						</p>
						{s.ingest.rejected + s.ingest.dead_lettered > 0 ? (
							<p class={s.ingest.dead_lettered > 0 ? "degraded" : undefined}>
								Queued webhooks not written in the last 7 days: {s.ingest.rejected} rejected, {s.ingest.dead_lettered} dead-lettered.
							</p>
						) : null}
						<ul>
							{s.cron.jobs.map((j) => (
								<li class={j.stale ? "degraded" : undefined}>
									{j.job} (<code>{j.cron}</code>): {j.last_run_at ? `last ran ${utc(j.last_run_at)}` : "has not run yet"}
									{j.stale ? " — stale" : ""}
									{j.last_error ? ` — last error: ${j.last_error}` : ""}
								</li>
							))}
						</ul>
					</section>
				</main>
				<footer class="muted">
					<nav aria-label="Feeds and API">
						<p>
							<a href={links.ics}>Milestones calendar (iCalendar)</a> · <a href={links.atom}>Verified incidents (Atom)</a> ·{" "}
							{page ? null : (
								<>
									<a href="/feeds/milestones.atom">Outcomes (Atom)</a> ·{" "}
								</>
							)}
							<a href="/docs">API docs</a> · <a href="/openapi.json">OpenAPI document</a> · <a href={links.json}>Status as JSON</a>
						</p>
					</nav>
				</footer>
				<script nonce={nonce} dangerouslySetInnerHTML={{ __html: COUNTDOWN_JS }} />
			</body>
		</html>
	);
};
