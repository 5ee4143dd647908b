import type { MilestoneRevisionRow, MilestoneRow } from "../../db/schema";
import type { Language } from "../../i18n";

/** An incident as an email shows it. */
export interface IncidentBrief {
	occurredAt: Date;
	eventType: string;
	location: string | null;
	zone: string | null;
	fatalities: number;
	notes: string | null;
}

/** A deadline, overdue (or reminder), slip, event-day or outcome-reminder notice, with what the reader needs to act on it. */
export interface MilestoneItem {
	kind: "deadline" | "overdue" | "slip" | "event_day" | "outcome_reminder";
	/** The ledger row this item is for. */
	alertId: number;
	offset: string | null;
	/** Overdue notices and reminders: the page that acknowledges them (null when SECRETS_KEY cannot sign one). */
	ackUrl?: string | null;
	milestone: MilestoneRow;
	revisions: MilestoneRevisionRow[];
	incidents: IncidentBrief[];
}

export interface SurgeItem {
	kind: "surge";
	zone: { slug: string; name: string };
	/** Incidents in the last 7 days. */
	recent: number;
	/** What `recent` is compared with: the zone's trailing weekly average. */
	weeklyAverage: number;
	incidents: IncidentBrief[];
}

export interface DigestItem {
	kind: "digest";
	since: Date;
	until: Date;
	total: number;
	byZone: { zone: string; types: { type: string; count: number }[] }[];
	upcoming: MilestoneRow[];
}

export type EmailItem = MilestoneItem | SurgeItem | DigestItem;

/** Everything one email is made of; composeEmail turns it into the binding's message. */
export interface EmailInput {
	from: string;
	to: string;
	appUrl: string;
	unsubscribeUrl: string;
	now: Date;
	/** The recipient's language: the subject, both parts and the links' page are written in it. */
	language: Language;
	items: EmailItem[];
}
