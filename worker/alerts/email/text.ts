import { describeTimeLeft } from "../../time/due";
import { dueLabel, headline, localTime, OUTCOME_HINT, utcTime } from "./format";
import type { EmailInput, EmailItem, IncidentBrief, MilestoneItem } from "./types";

const incidentLine = (i: IncidentBrief) =>
	`  - ${utcTime(i.occurredAt).slice(0, 10)} ${i.eventType}${i.location ? `, ${i.location}` : ""}${i.zone ? ` [${i.zone}]` : ""}${i.fatalities > 0 ? `, ${i.fatalities} killed` : ""}`;

function milestoneText(item: MilestoneItem, input: EmailInput): string[] {
	const m = item.milestone;
	const due = m.dueAt.getTime();
	const lines = [
		`Due: ${dueLabel(m)}`,
		`     ${localTime(due, m.timezone)} / ${utcTime(m.dueAt)}`,
		`Precision: ${m.precision}`,
		`Time left: ${describeTimeLeft(due, input.now.getTime())}`,
	];
	if (m.slipCount > 0) {
		lines.push(`Slipped ${m.slipCount} time(s):`);
		for (const r of item.revisions) lines.push(`  - ${r.oldDue} -> ${r.newDue} (${utcTime(r.createdAt).slice(0, 10)})${r.reason ? `: ${r.reason}` : ""}`);
	}
	if (item.incidents.length > 0) lines.push("Recent incidents in related zones:", ...item.incidents.map(incidentLine));
	if (item.kind === "outcome_reminder") lines.push(OUTCOME_HINT);
	lines.push(`Details: ${input.appUrl}/api/milestones/${m.slug}`);
	if (item.ackUrl) lines.push(`Acknowledge (no more reminders for this due date): ${item.ackUrl}`);
	return lines;
}

function itemText(item: EmailItem, input: EmailInput): string[] {
	switch (item.kind) {
		case "deadline":
		case "overdue":
		case "slip":
		case "event_day":
		case "outcome_reminder":
			return milestoneText(item, input);
		case "surge":
			return [`Zone: ${item.zone.name} (${item.zone.slug})`, ...(item.incidents.length > 0 ? ["Latest incidents:", ...item.incidents.map(incidentLine)] : [])];
		case "digest": {
			const lines = [`New since ${utcTime(item.since)}:`];
			for (const z of item.byZone) lines.push(`  ${z.zone}: ${z.types.map((t) => `${t.count} ${t.type}`).join(", ")}`);
			if (item.upcoming.length > 0) {
				lines.push("Coming deadlines:");
				for (const m of item.upcoming) lines.push(`  - ${m.title}: ${dueLabel(m)} (${describeTimeLeft(m.dueAt.getTime(), input.now.getTime())})`);
			}
			return lines;
		}
	}
}

/** The plain-text part: readable in any client, and what screen readers and filters see first. */
export function renderText(input: EmailInput): string {
	const sections = input.items.map((item) => [`== ${headline(item, input.now)}`, ...itemText(item, input)].join("\n"));
	return [
		...sections,
		`Status page: ${input.appUrl}/`,
		`Calendar: ${input.appUrl}/feeds/milestones.ics`,
		`You get this because you subscribed to Vigil alerts. Unsubscribe: ${input.unsubscribeUrl}`,
	].join("\n\n");
}
