import ical, { ICalAlarmType, ICalEventStatus } from "ical-generator";
import type { MilestoneRow } from "../db/schema";
import { describeDue } from "../time/due";
import { parseDuration } from "../time/duration";

/** How often subscribed calendar apps should refetch the feed (REFRESH-INTERVAL). */
export const FEED_TTL_SECONDS = 3600;

/**
 * iCalendar for milestones (ical-generator): a VEVENT at each due_at with a VALARM per alert
 * offset, so a calendar app reminds people at the same moments Vigil emails them.
 */
export function milestonesCalendar(rows: readonly MilestoneRow[], appUrl: string, now: Date, options: { ttl?: number } = {}): string {
	const host = new URL(appUrl).host;
	const cal = ical({
		name: "Vigil milestones",
		prodId: { company: "Vigil", product: "milestones", language: "EN" },
		url: `${appUrl}/feeds/milestones.ics`,
		...(options.ttl ? { ttl: options.ttl } : {}),
	});
	for (const m of rows) {
		const label = describeDue(m.due, m.kind, m.timezone, m.dueAt.getTime());
		cal.createEvent({
			id: `milestone-${m.id}@${host}`,
			start: m.dueAt,
			end: m.dueAt,
			stamp: m.updatedAt ?? now,
			summary: m.title,
			description: [
				`${m.kind === "deadline" ? "Deadline" : "Event"} ${label} (${m.precision} precision).`,
				m.description,
				m.slipCount > 0 ? `Slipped ${m.slipCount} time(s).` : "",
			]
				.filter(Boolean)
				.join("\n\n"),
			url: m.sourceUrl ?? `${appUrl}/api/milestones/${m.slug}`,
			status: m.status === "cancelled" ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
			categories: m.tags.map((name) => ({ name })),
			alarms: m.alertOffsets.map((o) => ({
				type: ICalAlarmType.display,
				trigger: parseDuration(o) / 1000,
				description: `${m.title}: ${o === "PT0S" ? "due now" : `${o} before`}`,
			})),
		});
	}
	return cal.toString();
}
