import ical, { ICalAlarmType, ICalCalendarMethod, ICalEventStatus } from "ical-generator";
import type { MilestoneRow } from "../db/schema";
import { OUTCOME_LABELS } from "../milestones";
import { describeDue } from "../time/due";
import { parseDuration } from "../time/duration";

/** How often subscribed calendar apps should refetch the feed (REFRESH-INTERVAL). */
export const FEED_TTL_SECONDS = 3600;

/**
 * How a calendar shows each state: a met milestone stays CONFIRMED, a missed or cancelled one is
 * CANCELLED, and a settled one says its outcome first in the title, where every client shows it.
 */
const SHOWN: Record<MilestoneRow["status"], { status: ICalEventStatus; outcome: string }> = {
	scheduled: { status: ICalEventStatus.CONFIRMED, outcome: "" },
	met: { status: ICalEventStatus.CONFIRMED, outcome: "Met" },
	missed: { status: ICalEventStatus.CANCELLED, outcome: "Missed" },
	cancelled: { status: ICalEventStatus.CANCELLED, outcome: "Cancelled" },
};

export interface CalendarOptions {
	/** A subscribed feed: how often to refetch it (REFRESH-INTERVAL). */
	ttl?: number;
	/** A calendar sent in a message (METHOD:PUBLISH, RFC 5546) by this address, its ORGANIZER. */
	publishedBy?: string;
	/** A situation page's calendar: its name and where it is fetched (default: the whole feed's). */
	name?: string;
	path?: string;
}

/**
 * iCalendar for milestones (ical-generator): a VEVENT at each due_at with a VALARM per alert
 * offset, so a calendar app reminds people at the same moments Vigil emails them. Each event keeps
 * its UID for life; SEQUENCE (the milestone's own counter) and LAST-MODIFIED move with each change,
 * which is what makes clients replace the copy they hold.
 */
export function milestonesCalendar(rows: readonly MilestoneRow[], appUrl: string, now: Date, options: CalendarOptions = {}): string {
	const host = new URL(appUrl).host;
	const cal = ical({
		name: options.name ?? "Vigil milestones",
		prodId: { company: "Vigil", product: "milestones", language: "EN" },
		url: `${appUrl}${options.path ?? "/feeds/milestones.ics"}`,
		...(options.ttl ? { ttl: options.ttl } : {}),
		...(options.publishedBy ? { method: ICalCalendarMethod.PUBLISH } : {}),
	});
	for (const m of rows) {
		const label = describeDue(m.due, m.kind, m.timezone, m.dueAt.getTime());
		const shown = SHOWN[m.status];
		// A recorded outcome says more than the status it set (held shows as met in `status`).
		const outcome = m.outcome ? OUTCOME_LABELS[m.outcome] : shown.outcome;
		cal.createEvent({
			id: `milestone-${m.id}@${host}`,
			sequence: m.sequence,
			start: m.dueAt,
			end: m.dueAt,
			// RFC 5545 3.8.7.2: with a METHOD, when this object was made; without, when the event was last revised.
			stamp: options.publishedBy ? now : m.updatedAt,
			created: m.createdAt,
			lastModified: m.updatedAt,
			...(options.publishedBy ? { organizer: { name: "Vigil", email: options.publishedBy } } : {}),
			summary: outcome ? `${outcome}: ${m.title}` : m.title,
			description: [
				outcome ? `Outcome: ${outcome.toLowerCase()}.` : "",
				m.outcomeNote ?? "",
				m.outcomeSourceUrl ? `Source: ${m.outcomeSourceUrl}` : "",
				`${m.kind === "deadline" ? "Deadline" : "Event"} ${label} (${m.precision} precision).`,
				m.description,
				m.slipCount > 0 ? `Slipped ${m.slipCount} time(s).` : "",
			]
				.filter(Boolean)
				.join("\n\n"),
			url: m.sourceUrl ?? `${appUrl}/api/milestones/${m.slug}`,
			status: shown.status,
			categories: m.tags.map((name) => ({ name })),
			// Vigil stops alerting once a milestone is settled, and so does the calendar.
			alarms: (m.status === "scheduled" ? m.alertOffsets : []).map((o) => ({
				type: ICalAlarmType.display,
				trigger: parseDuration(o) / 1000,
				description: `${m.title}: ${o === "PT0S" ? "due now" : `${o} before`}`,
			})),
		});
	}
	return cal.toString();
}
