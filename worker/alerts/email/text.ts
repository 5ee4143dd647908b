import { formatNumber, type Language, t, timeLeft, translated } from "../../i18n";
import { dueLabel, headline, localTime, precisionLabel, sectionOf, statusUrl, utcTime } from "./format";
import type { EmailInput, EmailItem, IncidentBrief, MilestoneItem } from "./types";

// Text people wrote (titles, zones, reasons) goes in as it is: no bidi controls. A mail client
// lays out each line by its first strong character, so a line starts with the language's words.

const incidentLine = (lang: Language, i: IncidentBrief) =>
	`  - ${utcTime(i.occurredAt).slice(0, 10)} ${i.eventType}${i.location ? `, ${i.location}` : ""}${i.zone ? ` [${i.zone}]` : ""}${i.fatalities > 0 ? `, ${t(lang, "email.killed", { count: i.fatalities })}` : ""}`;

function milestoneText(item: MilestoneItem, input: EmailInput): string[] {
	const { language: lang } = input;
	const m = item.milestone;
	const due = m.dueAt.getTime();
	const lines = [
		`${t(lang, "email.due")}: ${dueLabel(lang, m)}`,
		`     ${localTime(due, m.timezone)} / ${utcTime(m.dueAt)}`,
		`${t(lang, "email.precision")}: ${precisionLabel(lang, m.precision)}`,
		`${t(lang, "email.time_left")}: ${timeLeft(lang, due, input.now.getTime())}`,
	];
	if (m.slipCount > 0) {
		lines.push(t(lang, "email.slipped", { count: m.slipCount }));
		for (const r of item.revisions) lines.push(`  - ${r.oldDue} -> ${r.newDue} (${utcTime(r.createdAt).slice(0, 10)})${r.reason ? `: ${r.reason}` : ""}`);
	}
	if (item.incidents.length > 0) lines.push(t(lang, "email.related_incidents"), ...item.incidents.map((i) => incidentLine(lang, i)));
	if (item.kind === "outcome_reminder") lines.push(t(lang, "email.outcome_hint"));
	lines.push(`${t(lang, "email.details")}: ${statusUrl(input.appUrl, lang, sectionOf(item))}`);
	if (item.ackUrl) lines.push(`${t(lang, "email.acknowledge")} ${t(lang, "email.acknowledge_hint")}: ${item.ackUrl}`);
	return lines;
}

function itemText(item: EmailItem, input: EmailInput): string[] {
	const { language: lang } = input;
	switch (item.kind) {
		case "deadline":
		case "overdue":
		case "slip":
		case "event_day":
		case "outcome_reminder":
			return milestoneText(item, input);
		case "surge":
			return [
				`${t(lang, "email.zone")}: ${item.zone.name} (${item.zone.slug})`,
				...(item.incidents.length > 0 ? [t(lang, "email.latest_incidents"), ...item.incidents.map((i) => incidentLine(lang, i))] : []),
			];
		case "digest": {
			const lines = [t(lang, "email.new_since", { time: utcTime(item.since) })];
			for (const z of item.byZone) lines.push(`  ${z.zone}: ${z.types.map((c) => `${formatNumber(lang, c.count)} ${c.type}`).join(", ")}`);
			if (item.upcoming.length > 0) {
				lines.push(t(lang, "email.coming_deadlines"));
				for (const m of item.upcoming)
					lines.push(`  - ${translated(lang, m.title, m.titleI18n).text}: ${dueLabel(lang, m)} (${timeLeft(lang, m.dueAt.getTime(), input.now.getTime())})`);
			}
			return lines;
		}
	}
}

/** The plain-text part: readable in any client, and what screen readers and filters see first. */
export function renderText(input: EmailInput): string {
	const { language: lang } = input;
	const sections = input.items.map((item) => [`== ${headline(lang, item, input.now)}`, ...itemText(item, input)].join("\n"));
	return [
		...sections,
		`${t(lang, "email.status_page")}: ${statusUrl(input.appUrl, lang)}`,
		`${t(lang, "email.calendar")}: ${input.appUrl}/feeds/milestones.ics`,
		`${t(lang, "email.why")} ${t(lang, "email.unsubscribe")}: ${input.unsubscribeUrl}`,
	].join("\n\n");
}
