import type { FC } from "hono/jsx";
import type { StatusJson, UpcomingMilestoneJson } from "../schemas/status";

const css = `
:root{color-scheme:light dark;--fg:#111;--bg:#fff;--muted:#555;--line:#ddd;--bad:#a40000;--warn:#8a5a00;--ok:#0a6b2f}
@media (prefers-color-scheme:dark){:root{--fg:#eee;--bg:#111;--muted:#aaa;--line:#333;--bad:#ff8080;--warn:#f0c060;--ok:#7ddc9a}}
body{font:16px/1.5 system-ui,sans-serif;color:var(--fg);background:var(--bg);max-width:56rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.15rem;margin-top:1.6rem;border-bottom:1px solid var(--line)}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
.muted{color:var(--muted)}.overdue{color:var(--bad);font-weight:600}.badge{display:inline-block;padding:0 .5rem;border-radius:1rem;border:1px solid currentColor}
.ok{color:var(--ok)}.degraded{color:var(--warn)}
`;

const Row: FC<{ m: UpcomingMilestoneJson; overdue?: boolean }> = ({ m, overdue }) => (
	<tr class={overdue ? "overdue" : undefined}>
		<td>
			{m.title}
			{m.slip_count > 0 ? <span class="muted"> (slipped {m.slip_count}×)</span> : null}
		</td>
		<td>{m.due_label}</td>
		<td>
			<time datetime={m.due_at}>{m.time_left}</time>
		</td>
	</tr>
);

/** The status page: the same data as /status, readable with JS off. */
export const StatusPage: FC<{ status: StatusJson }> = ({ status: s }) => (
	<html lang="en">
		<head>
			<meta charset="utf-8" />
			<meta name="viewport" content="width=device-width, initial-scale=1" />
			<title>Vigil status</title>
			<style>{css}</style>
		</head>
		<body>
			<header>
				<h1>Vigil</h1>
				<p>
					Status: <span class={`badge ${s.status}`}>{s.status}</span> <span class="muted">as of <time datetime={s.now}>{s.now}</time></span>
				</p>
			</header>
			<main>
				<section aria-labelledby="next">
					<h2 id="next">Next milestones</h2>
					{s.milestones.next.length === 0 ? (
						<p class="muted">No scheduled milestones ahead.</p>
					) : (
						<table>
							<thead>
								<tr>
									<th scope="col">Milestone</th>
									<th scope="col">Due</th>
									<th scope="col">Time left</th>
								</tr>
							</thead>
							<tbody>
								{s.milestones.next.map((m) => (
									<Row m={m} />
								))}
							</tbody>
						</table>
					)}
				</section>
				<section aria-labelledby="overdue">
					<h2 id="overdue">Overdue ({s.milestones.overdue})</h2>
					{s.milestones.overdue === 0 ? (
						<p class="muted">Nothing overdue.</p>
					) : (
						<table>
							<tbody>
								{s.milestones.overdue_items.map((m) => (
									<Row m={m} overdue />
								))}
							</tbody>
						</table>
					)}
				</section>
				<section aria-labelledby="slips">
					<h2 id="slips">Recent slips</h2>
					{s.milestones.recent_slips.length === 0 ? (
						<p class="muted">No due date has moved in the last 30 days.</p>
					) : (
						<ul>
							{s.milestones.recent_slips.map((r) => (
								<li>
									{r.title}: moved from {r.from_due} to {r.to_due}
									{r.reason ? ` (${r.reason})` : ""}
								</li>
							))}
						</ul>
					)}
				</section>
				<section aria-labelledby="incidents">
					<h2 id="incidents">Incidents</h2>
					<p>
						{s.incidents.last_24h} in the last 24 hours, {s.incidents.last_7d} in the last 7 days.
					</p>
				</section>
				<section aria-labelledby="health">
					<h2 id="health">Alerts and crons</h2>
					<p>
						Alerts pending: {s.alerts.pending}, failed: {s.alerts.failed}
						{s.alerts.last_sent_at ? `, last sent ${s.alerts.last_sent_at}` : ", none sent yet"}.
					</p>
					<ul>
						{s.cron.jobs.map((j) => (
							<li class={j.stale ? "degraded" : undefined}>
								{j.job} (<code>{j.cron}</code>): {j.last_run_at ? `last ran ${j.last_run_at}` : "has not run yet"}
								{j.stale ? " — stale" : ""}
								{j.last_error ? ` — last error: ${j.last_error}` : ""}
							</li>
						))}
					</ul>
				</section>
			</main>
			<footer class="muted">
				<p>
					<a href="/status">JSON</a> · <a href="/docs">API docs</a> · <a href="/openapi.json">OpenAPI</a>
				</p>
			</footer>
		</body>
	</html>
);
