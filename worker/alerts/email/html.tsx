import type { FC } from "hono/jsx";
import { FONT_STACK, formatNumber, htmlAttributes, type Language, t, timeLeft, translated } from "../../i18n";
import { dueLabel, headline, localTime, precisionLabel, sectionOf, statusUrl, utcTime } from "./format";
import type { EmailInput, EmailItem, IncidentBrief, MilestoneItem } from "./types";

// Every value below goes through hono/jsx, which escapes text and attributes: user-supplied
// titles, reasons and notes can never become markup. Text people wrote sits in <bdi>, so a Latin
// title in an Arabic line keeps its punctuation where it belongs.

const Incidents: FC<{ items: IncidentBrief[]; title: string; lang: Language }> = ({ items, title, lang }) =>
	items.length === 0 ? null : (
		<>
			<p style="margin:.5em 0 .2em">{title}</p>
			<ul>
				{items.map((i) => (
					<li>
						<bdi>{utcTime(i.occurredAt).slice(0, 10)}</bdi> <bdi>{i.eventType}</bdi>
						{i.location ? (
							<>
								, <bdi>{i.location}</bdi>
							</>
						) : null}
						{i.zone ? (
							<>
								{" "}
								[<bdi>{i.zone}</bdi>]
							</>
						) : null}
						{i.fatalities > 0 ? `, ${t(lang, "email.killed", { count: i.fatalities })}` : ""}
					</li>
				))}
			</ul>
		</>
	);

const Milestone: FC<{ item: MilestoneItem; input: EmailInput }> = ({ item, input }) => {
	const { language: lang } = input;
	const m = item.milestone;
	return (
		<>
			<table cellpadding="4" style="border-collapse:collapse">
				<tr>
					<th style="text-align:start">{t(lang, "email.due")}</th>
					<td>
						{dueLabel(lang, m)}
						<br />
						<bdi>
							{localTime(m.dueAt.getTime(), m.timezone)} / {utcTime(m.dueAt)}
						</bdi>
					</td>
				</tr>
				<tr>
					<th style="text-align:start">{t(lang, "email.precision")}</th>
					<td>{precisionLabel(lang, m.precision)}</td>
				</tr>
				<tr>
					<th style="text-align:start">{t(lang, "email.time_left")}</th>
					<td>{timeLeft(lang, m.dueAt.getTime(), input.now.getTime())}</td>
				</tr>
			</table>
			{m.slipCount > 0 ? (
				<>
					<p style="margin:.5em 0 .2em">{t(lang, "email.slipped", { count: m.slipCount })}</p>
					<ul>
						{item.revisions.map((r) => (
							<li>
								<bdi>
									{r.oldDue} → {r.newDue}
								</bdi>{" "}
								({utcTime(r.createdAt).slice(0, 10)})
								{r.reason ? (
									<>
										: <bdi>{r.reason}</bdi>
									</>
								) : (
									""
								)}
							</li>
						))}
					</ul>
				</>
			) : null}
			<Incidents items={item.incidents} title={t(lang, "email.related_incidents")} lang={lang} />
			{item.kind === "outcome_reminder" ? <p>{t(lang, "email.outcome_hint")}</p> : null}
			<p>
				<a href={statusUrl(input.appUrl, lang, sectionOf(item))}>{t(lang, "email.details")}</a>
				{item.ackUrl ? (
					<>
						{" · "}
						<a href={item.ackUrl}>{t(lang, "email.acknowledge")}</a> {t(lang, "email.acknowledge_hint")}
					</>
				) : null}
			</p>
		</>
	);
};

const Item: FC<{ item: EmailItem; input: EmailInput }> = ({ item, input }) => {
	const { language: lang } = input;
	switch (item.kind) {
		case "deadline":
		case "overdue":
		case "slip":
		case "event_day":
		case "outcome_reminder":
			return <Milestone item={item} input={input} />;
		case "surge":
			return <Incidents items={item.incidents} title={t(lang, "email.latest_incidents_in", { zone: item.zone.name })} lang={lang} />;
		case "digest":
			return (
				<>
					<p>{t(lang, "email.new_since", { time: utcTime(item.since) })}</p>
					<ul>
						{item.byZone.map((z) => (
							<li>
								<bdi>{z.zone}</bdi>:{" "}
								{z.types.map((c, i) => (
									<>
										{i > 0 ? ", " : ""}
										{formatNumber(lang, c.count)} <bdi>{c.type}</bdi>
									</>
								))}
							</li>
						))}
					</ul>
					{item.upcoming.length > 0 ? (
						<>
							<p>{t(lang, "email.coming_deadlines")}</p>
							<ul>
								{item.upcoming.map((m) => (
									<li>
										<bdi>{translated(lang, m.title, m.titleI18n).text}</bdi>: {dueLabel(lang, m)} ({timeLeft(lang, m.dueAt.getTime(), input.now.getTime())})
									</li>
								))}
							</ul>
						</>
					) : null}
				</>
			);
	}
};

/** The HTML part: the same content as the text part, escaped by construction, `dir` and `lang` on the body. */
export function renderHtml(input: EmailInput): string {
	const { language: lang } = input;
	const attributes = htmlAttributes(lang);
	const doc = (
		<html {...attributes}>
			<body {...attributes} style={`font:15px/1.5 ${FONT_STACK};max-width:40rem`}>
				{input.items.map((item) => (
					<section>
						<h2 style="font-size:1.1em;margin:1.2em 0 .3em">{headline(lang, item, input.now)}</h2>
						<Item item={item} input={input} />
					</section>
				))}
				<hr />
				<p style="color:#555;font-size:.9em">
					<a href={statusUrl(input.appUrl, lang)}>{t(lang, "email.status_page")}</a> ·{" "}
					<a href={`${input.appUrl}/feeds/milestones.ics`}>{t(lang, "email.calendar")}</a> · <a href={input.unsubscribeUrl}>{t(lang, "email.unsubscribe")}</a>
				</p>
			</body>
		</html>
	);
	return `<!doctype html>${doc.toString()}`;
}
