// The parts of the status page: milestone tables, the verified share, the language links, the
// health section, a situation's line and an outcome; page.tsx lays them out.
import type { FC } from "hono/jsx";
import type { Translations } from "../db/schema";
import { dueLabel, duration, formatNumber, formatPercent, instant, LANGUAGES, type Language, LOCALES, rich, t, timeLeft, translated } from "../i18n";
import type { WeeklySeries } from "../incidents";
import type { OverdueMilestoneJson, RecentOutcomeJson, StatusJson, UpcomingMilestoneJson } from "./schema";
import type { Situation } from "./situations";

/** User text (a title, a name, a reason) isolated from the page's direction, marked with its language when it is not the page's. */
export const UserText: FC<{ lang: Language; text: string; i18n?: Translations | null }> = ({ lang, text, i18n }) => {
	const shown = translated(lang, text, i18n);
	return <bdi lang={shown.lang}>{shown.text}</bdi>;
};

/** An instant read in the page's language, the ISO form kept for machines. */
export const When: FC<{ lang: Language; iso: string }> = ({ lang, iso }) => <time datetime={iso}>{instant(lang, Date.parse(iso))}</time>;

type Row = UpcomingMilestoneJson & Partial<Pick<OverdueMilestoneJson, "acknowledged">>;

const Acked: FC<{ lang: Language; ack: NonNullable<Row["acknowledged"]> }> = ({ lang, ack }) => {
	const time = <When lang={lang} iso={ack.at} />;
	const key = ack.by_kind === "admin" ? "status.acked_admin" : ack.by_kind === "channel" ? "status.acked_channel" : "status.acked_subscriber";
	return <span class="muted small"> {rich(lang, key, { time })}</span>;
};

/** A milestone's row: ahead (time left), overdue (by how long), or `since` (a past event: how long since its day). */
const MilestoneRow: FC<{ lang: Language; m: Row; overdue?: boolean; since?: boolean; nowMs: number }> = ({ lang, m, overdue, since, nowMs }) => {
	const dueMs = Date.parse(m.due_at);
	const past = overdue || since;
	return (
		<tr class={overdue ? "overdue" : undefined} data-kind={m.kind}>
			<td>
				{overdue ? <span class="badge">{t(lang, "status.overdue_badge")}</span> : null} <UserText lang={lang} text={m.title} i18n={m.title_i18n} />
				{m.slip_count > 0 ? <span class="muted small"> {t(lang, "status.moved", { count: m.slip_count })}</span> : null}
				{m.acknowledged ? <Acked lang={lang} ack={m.acknowledged} /> : null}
			</td>
			<td>
				{dueLabel(lang, m.due, m.kind, m.timezone, dueMs)}
				<br />
				<span class="muted small">
					<When lang={lang} iso={m.due_at} />
				</span>
			</td>
			<td>
				<time datetime={m.due_at} data-countdown={past ? "elapsed" : ""}>
					{past ? duration(lang, nowMs - dueMs) : timeLeft(lang, dueMs, nowMs)}
				</time>
			</td>
		</tr>
	);
};

export const MilestoneTable: FC<{ lang: Language; items: Row[]; overdue?: boolean; since?: boolean; caption: string; nowMs: number }> = ({
	lang,
	items,
	overdue,
	since,
	caption,
	nowMs,
}) => (
	<div class="scroll">
		<table>
			<caption class="muted small">{caption}</caption>
			<thead>
				<tr>
					<th scope="col">{t(lang, "status.col_milestone")}</th>
					<th scope="col">{t(lang, "status.col_due")}</th>
					<th scope="col">{overdue ? t(lang, "status.col_overdue_by") : since ? t(lang, "status.col_since") : t(lang, "status.col_time_left")}</th>
				</tr>
			</thead>
			<tbody>
				{items.map((m) => (
					<MilestoneRow lang={lang} m={m} overdue={overdue} since={since} nowMs={nowMs} />
				))}
			</tbody>
		</table>
	</div>
);

/** "2 of 525 verified (0.4%)": the count and the share, never a share alone. */
export const Verified: FC<{ lang: Language; weekly: WeeklySeries }> = ({ lang, weekly }) => {
	const share = weekly.verifiedShare === null ? t(lang, "status.not_applicable") : formatPercent(lang, weekly.verifiedShare);
	const verified = <strong data-verified="">{formatNumber(lang, weekly.verified)}</strong>;
	return <>{rich(lang, "status.verified", { verified, total: weekly.total, share, weeks: weekly.weeks.length })}</>;
};

/** Links to this page in each language: the reader's choice, for one view (?lang=). */
export const LanguageSwitch: FC<{ lang: Language }> = ({ lang }) => (
	<nav class="languages small" aria-label={t(lang, "common.languages")}>
		{LANGUAGES.map((l, i) => (
			<>
				{i > 0 ? " · " : ""}
				<a href={`?lang=${l}`} lang={LOCALES[l].tag} hreflang={LOCALES[l].tag} aria-current={l === lang ? "page" : undefined}>
					{LOCALES[l].name}
				</a>
			</>
		))}
	</nav>
);

export const Health: FC<{ lang: Language; s: StatusJson }> = ({ lang, s }) => (
	<section aria-labelledby="health">
		<h2 id="health">{t(lang, "status.health_heading")}</h2>
		<p class={s.alerts.failed > 0 ? "degraded" : undefined}>
			{t(lang, "status.alerts", { pending: s.alerts.pending, failed: s.alerts.failed })}
			{LOCALES[lang].dir === "rtl" ? "، " : ", "}
			{s.alerts.last_sent_at
				? rich(lang, "status.alerts_last_sent", { time: <When lang={lang} iso={s.alerts.last_sent_at} /> })
				: t(lang, "status.alerts_none_sent")}
			.
		</p>
		{s.ingest.rejected + s.ingest.dead_lettered > 0 ? (
			<p class={s.ingest.dead_lettered > 0 ? "degraded" : undefined}>
				{t(lang, "status.ingest_failures", { rejected: s.ingest.rejected, deadLettered: s.ingest.dead_lettered })}
			</p>
		) : null}
		<ul>
			{s.cron.jobs.map((j) => (
				<li class={j.stale ? "degraded" : undefined}>
					<bdi>{j.job}</bdi> (<code dir="ltr">{j.cron}</code>):{" "}
					{j.last_run_at ? rich(lang, "status.cron_last_ran", { time: <When lang={lang} iso={j.last_run_at} /> }) : t(lang, "status.cron_never")}
					{j.stale ? ` — ${t(lang, "status.cron_stale")}` : ""}
					{j.last_error ? <> — {rich(lang, "status.cron_error", { error: <bdi lang="en">{j.last_error}</bdi> })}</> : null}
				</li>
			))}
		</ul>
	</section>
);

/** The one-line state `/` shows for a public page. */
export const SituationLine: FC<{ lang: Language; s: Situation; nowMs: number }> = ({ lang, s, nowMs }) => (
	<li data-situation={s.slug}>
		<a href={`/p/${s.slug}`}>
			<bdi lang={s.language}>{s.title}</bdi>
		</a>
		:{" "}
		{s.next
			? rich(lang, "status.situation_next", {
					title: <UserText lang={lang} text={s.next.title} i18n={s.next.title_i18n} />,
					due: dueLabel(lang, s.next.due, s.next.kind, s.next.timezone, Date.parse(s.next.due_at)),
					left: timeLeft(lang, Date.parse(s.next.due_at), nowMs),
				})
			: t(lang, "status.situation_nothing_ahead")}
		{LOCALES[lang].dir === "rtl" ? "؛ " : "; "}
		{t(lang, "status.situation_counts", { overdue: s.overdue, incidents: s.incidents_7d })}
	</li>
);

const OUTCOME_KEYS = { met: "status.outcome_met", missed: "status.outcome_missed", held: "status.outcome_held" } as const;

export const Outcome: FC<{ lang: Language; o: RecentOutcomeJson }> = ({ lang, o }) => (
	<li>
		<span class="badge">{t(lang, OUTCOME_KEYS[o.outcome])}</span>{" "}
		<strong>
			<UserText lang={lang} text={o.title} />
		</strong>{" "}
		({o.due_label}): <bdi>{o.note}</bdi>
		{o.source_url ? (
			<>
				{" "}
				<a href={o.source_url} rel="noopener noreferrer nofollow">
					{t(lang, "status.outcome_source")}
				</a>
			</>
		) : null}{" "}
		<span class="muted small">{rich(lang, "status.outcome_recorded", { time: <When lang={lang} iso={o.at} /> })}</span>
	</li>
);
