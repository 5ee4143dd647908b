import ical, { ICalAlarmType, ICalCalendarMethod, ICalEventStatus } from "ical-generator";
import type { MilestoneRow } from "../db/schema";
import { dueLabel, type Language, precisionName, t } from "../i18n";
import { parseDuration } from "../time/duration";
import { outcomeLabel } from "./labels";

/** How often subscribed calendar apps should refetch the feed (REFRESH-INTERVAL). */
export const FEED_TTL_SECONDS = 3600;

/**
 * How a calendar shows each state: a met milestone stays CONFIRMED, a missed or cancelled one is
 * CANCELLED, and a settled one says its outcome first in the title, where every client shows it.
 */
const SHOWN: Record<MilestoneRow["status"], ICalEventStatus> = {
	scheduled: ICalEventStatus.CONFIRMED,
	met: ICalEventStatus.CONFIRMED,
	missed: ICalEventStatus.CANCELLED,
	cancelled: ICalEventStatus.CANCELLED,
};

/** The outcome a calendar says first: the recorded one (held shows as met in `status`), else the status's. */
function shownOutcome(lang: Language, m: MilestoneRow): string {
	if (m.outcome) return outcomeLabel(lang, m.outcome);
	switch (m.status) {
		case "scheduled":
			return "";
		case "met":
			return t(lang, "status.outcome_met");
		case "missed":
			return t(lang, "status.outcome_missed");
		case "cancelled":
			return t(lang, "feed.state_cancelled");
	}
}

export interface CalendarOptions {
	/** A subscribed feed: how often to refetch it (REFRESH-INTERVAL). */
	ttl?: number;
	/** A calendar sent in a message (METHOD:PUBLISH, RFC 5546) by this address, its ORGANIZER. */
	publishedBy?: string;
	/** A situation page's calendar: its name and where it is fetched (default: the whole feed's). */
	name?: string;
	path?: string;
	/** The language of the calendar's own words (names, descriptions, reminders); titles stay as written. */
	lang?: Language;
}

/**
 * iCalendar for milestones (ical-generator): a VEVENT at each due_at with a VALARM per alert
 * offset, so a calendar app reminds people at the same moments Vigil emails them. Each event keeps
 * its UID for life; SEQUENCE (the milestone's own counter) and LAST-MODIFIED move with each change,
 * which is what makes clients replace the copy they hold.
 */
export function milestonesCalendar(rows: readonly MilestoneRow[], appUrl: string, now: Date, options: CalendarOptions = {}): string {
	const host = new URL(appUrl).host;
	const lang = options.lang ?? "en";
	const cal = ical({
		name: options.name ?? t(lang, "feed.calendar"),
		prodId: { company: "Vigil", product: "milestones", language: lang.toUpperCase() },
		url: `${appUrl}${options.path ?? "/feeds/milestones.ics"}`,
		...(options.ttl ? { ttl: options.ttl } : {}),
		...(options.publishedBy ? { method: ICalCalendarMethod.PUBLISH } : {}),
	});
	for (const m of rows) {
		const due = dueLabel(lang, m.due, m.kind, m.timezone, m.dueAt.getTime());
		const outcome = shownOutcome(lang, m);
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
				outcome ? t(lang, "feed.outcome", { outcome }) : "",
				m.outcomeNote ?? "",
				m.outcomeSourceUrl ? t(lang, "feed.source", { url: m.outcomeSourceUrl }) : "",
				m.kind === "deadline"
					? t(lang, "feed.deadline_precision", { due, precision: precisionName(lang, m.precision) })
					: t(lang, "feed.event_precision", { due, precision: precisionName(lang, m.precision) }),
				m.description,
				m.slipCount > 0 ? t(lang, "feed.moved", { count: m.slipCount }) : "",
			]
				.filter(Boolean)
				.join("\n\n"),
			url: m.sourceUrl ?? `${appUrl}/api/milestones/${m.slug}`,
			status: SHOWN[m.status],
			categories: m.tags.map((name) => ({ name })),
			// Vigil stops alerting once a milestone is settled, and so does the calendar.
			alarms: (m.status === "scheduled" ? m.alertOffsets : []).map((o) => ({
				type: ICalAlarmType.display,
				trigger: parseDuration(o) / 1000,
				description: o === "PT0S" ? t(lang, "feed.alarm_now", { title: m.title }) : t(lang, "feed.alarm_before", { title: m.title, offset: o }),
			})),
		});
	}
	return cal.toString();
}
