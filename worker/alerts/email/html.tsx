import type { FC } from "hono/jsx";
import { describeTimeLeft } from "../../time/due";
import { dueLabel, headline, localTime, OUTCOME_HINT, utcTime } from "./format";
import type { EmailInput, EmailItem, IncidentBrief, MilestoneItem } from "./types";

// Every value below goes through hono/jsx, which escapes text and attributes: user-supplied
// titles, reasons and notes can never become markup.

const Incidents: FC<{ items: IncidentBrief[]; title: string }> = ({ items, title }) =>
	items.length === 0 ? null : (
		<>
			<p style="margin:.5em 0 .2em">{title}</p>
			<ul>
				{items.map((i) => (
					<li>
						{utcTime(i.occurredAt).slice(0, 10)} {i.eventType}
						{i.location ? `, ${i.location}` : ""}
						{i.zone ? ` [${i.zone}]` : ""}
						{i.fatalities > 0 ? `, ${i.fatalities} killed` : ""}
					</li>
				))}
			</ul>
		</>
	);

const Milestone: FC<{ item: MilestoneItem; input: EmailInput }> = ({ item, input }) => {
	const m = item.milestone;
	return (
		<>
			<table cellpadding="4" style="border-collapse:collapse">
				<tr>
					<th align="left">Due</th>
					<td>
						{dueLabel(m)}
						<br />
						{localTime(m.dueAt.getTime(), m.timezone)} / {utcTime(m.dueAt)}
					</td>
				</tr>
				<tr>
					<th align="left">Precision</th>
					<td>{m.precision}</td>
				</tr>
				<tr>
					<th align="left">Time left</th>
					<td>{describeTimeLeft(m.dueAt.getTime(), input.now.getTime())}</td>
				</tr>
			</table>
			{m.slipCount > 0 ? (
				<>
					<p style="margin:.5em 0 .2em">Slipped {m.slipCount} time(s):</p>
					<ul>
						{item.revisions.map((r) => (
							<li>
								{r.oldDue} → {r.newDue} ({utcTime(r.createdAt).slice(0, 10)}){r.reason ? `: ${r.reason}` : ""}
							</li>
						))}
					</ul>
				</>
			) : null}
			<Incidents items={item.incidents} title="Recent incidents in related zones:" />
			{item.kind === "outcome_reminder" ? <p>{OUTCOME_HINT}</p> : null}
			<p>
				<a href={`${input.appUrl}/api/milestones/${encodeURIComponent(m.slug)}`}>Details</a>
				{item.ackUrl ? (
					<>
						{" · "}
						<a href={item.ackUrl}>Acknowledge</a> (no more reminders for this due date)
					</>
				) : null}
			</p>
		</>
	);
};

const Item: FC<{ item: EmailItem; input: EmailInput }> = ({ item, input }) => {
	switch (item.kind) {
		case "deadline":
		case "overdue":
		case "slip":
		case "event_day":
		case "outcome_reminder":
			return <Milestone item={item} input={input} />;
		case "surge":
			return <Incidents items={item.incidents} title={`Latest incidents in ${item.zone.name}:`} />;
		case "digest":
			return (
				<>
					<p>New since {utcTime(item.since)}:</p>
					<ul>
						{item.byZone.map((z) => (
							<li>
								{z.zone}: {z.types.map((t) => `${t.count} ${t.type}`).join(", ")}
							</li>
						))}
					</ul>
					{item.upcoming.length > 0 ? (
						<>
							<p>Coming deadlines:</p>
							<ul>
								{item.upcoming.map((m) => (
									<li>
										{m.title}: {dueLabel(m)} ({describeTimeLeft(m.dueAt.getTime(), input.now.getTime())})
									</li>
								))}
							</ul>
						</>
					) : null}
				</>
			);
	}
};

/** The HTML part: the same content as the text part, escaped by construction. */
export function renderHtml(input: EmailInput): string {
	const doc = (
		<html lang="en">
			<body style="font:15px/1.5 system-ui,sans-serif;max-width:40rem">
				{input.items.map((item) => (
					<section>
						<h2 style="font-size:1.1em;margin:1.2em 0 .3em">{headline(item, input.now)}</h2>
						<Item item={item} input={input} />
					</section>
				))}
				<hr />
				<p style="color:#555;font-size:.9em">
					<a href={`${input.appUrl}/`}>Status page</a> · <a href={`${input.appUrl}/feeds/milestones.ics`}>Calendar feed</a> ·{" "}
					<a href={input.unsubscribeUrl}>Unsubscribe</a>
				</p>
			</body>
		</html>
	);
	return `<!doctype html>${doc.toString()}`;
}
