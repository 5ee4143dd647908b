import type { AlertJson } from "./schema";
import type { SilenceJson } from "./silence-schema";
import type { SubscriberJson } from "../subscribers/schema";

// Examples for the alerting routes (subscribers, silences, the ledger, unsubscribe pages, the
// calendar feed), typed by the schemas they illustrate; test/integration/openapi.test.ts parses
// the JSON ones with their schemas. The unsubscribe token is base64url of
// "example-unsubscribe-token-000001": shaped like a real one, plainly not one.

export const subscriberExample = {
	id: 5,
	email: "desk@example.org",
	name: "Security desk",
	zones: ["wadi-hauran"],
	tags: ["withdrawal"],
	digest: true,
	paused: false,
	unsubscribed_at: null,
	unsubscribe_url: "https://vigil.example.org/unsubscribe/ZXhhbXBsZS11bnN1YnNjcmliZS10b2tlbi0wMDAwMDE",
	created_at: "2025-02-10T08:00:00.000Z",
} satisfies SubscriberJson;

export const subscriberListExample = {
	items: [subscriberExample],
	next_cursor: null,
} satisfies { items: SubscriberJson[]; next_cursor: string | null };

export const unsubscribedSubscriberExample = { ...subscriberExample, unsubscribed_at: "2025-09-05T12:30:00.000Z" } satisfies SubscriberJson;

export const silenceExample = {
	id: 4,
	milestone_id: null,
	tag: "elections",
	zone: null,
	until: "2025-11-20T00:00:00.000Z",
	reason: "Covered by the elections desk",
	active: true,
	created_at: "2025-10-01T09:00:00.000Z",
} satisfies SilenceJson;

export const silenceListExample = {
	items: [
		silenceExample,
		{
			id: 3,
			milestone_id: null,
			tag: null,
			zone: "wadi-hauran",
			until: "2025-09-10T00:00:00.000Z",
			reason: "Announced army sweep of Wadi Hauran; the surge is expected",
			active: false,
			created_at: "2025-09-03T07:30:00.000Z",
		},
	],
	next_cursor: null,
} satisfies { items: SilenceJson[]; next_cursor: string | null };

/** Ending a silence moves `until` to the moment it was ended. */
export const endedSilenceExample = { ...silenceExample, until: "2025-11-12T15:00:00.000Z", active: false } satisfies SilenceJson;

export const alertListExample = {
	items: [
		{
			id: 31,
			kind: "surge",
			milestone_id: null,
			zone_id: 3,
			offset: null,
			due_at: "2025-08-21T06:00:00.000Z",
			recipient: "desk@example.org",
			status: "pending",
			attempts: 1,
			next_attempt_at: "2025-08-21T06:20:00.000Z",
			last_error: "Email provider answered 503; will retry",
			message_id: null,
			created_at: "2025-08-21T06:00:00.000Z",
			sent_at: null,
		},
		{
			id: 27,
			kind: "deadline",
			milestone_id: 1,
			zone_id: null,
			offset: "P30D",
			due_at: "2025-09-30T21:00:00.000Z",
			recipient: "desk@example.org",
			status: "sent",
			attempts: 1,
			next_attempt_at: "2025-08-31T21:00:00.000Z",
			last_error: null,
			message_id: "0100019900a1b2c3-example-000000",
			created_at: "2025-08-31T21:00:00.000Z",
			sent_at: "2025-08-31T21:00:04.000Z",
		},
	],
	next_cursor: null,
} satisfies { items: AlertJson[]; next_cursor: string | null };

export const unsubscribeConfirmPageExample =
	'<html lang="en"><head><meta charset="utf-8"/><title>Vigil: unsubscribe</title>…</head><body><h1>Vigil alerts</h1><form method="post" action="/unsubscribe/ZXhhbXBsZS11bnN1YnNjcmliZS10b2tlbi0wMDAwMDE"><p>Stop all Vigil alerts and digests to <strong>desk@example.org</strong>?</p><input type="hidden" name="List-Unsubscribe" value="One-Click"/><button type="submit">Unsubscribe</button></form></body></html>';

export const unsubscribedPageExample =
	'<html lang="en"><head><meta charset="utf-8"/><title>Vigil: unsubscribe</title>…</head><body><h1>Vigil alerts</h1><p><strong>desk@example.org</strong> is unsubscribed and will get no more alerts or digests.</p></body></html>';

/**
 * What ical-generator writes for the milestone example, shortened to two of its four VALARMs.
 * Lines end in CRLF and fold at 75 octets, as RFC 5545 requires.
 */
export const milestonesIcsExample = [
	"BEGIN:VCALENDAR",
	"VERSION:2.0",
	"PRODID:-//Vigil//milestones//EN",
	"URL:https://vigil.example.org/feeds/milestones.ics",
	"NAME:Vigil milestones",
	"X-WR-CALNAME:Vigil milestones",
	"REFRESH-INTERVAL;VALUE=DURATION:PT1H",
	"X-PUBLISHED-TTL:PT1H",
	"BEGIN:VEVENT",
	"UID:milestone-1@vigil.example.org",
	"SEQUENCE:0",
	"DTSTAMP:20250115T090000Z",
	"DTSTART:20250930T210000Z",
	"DTEND:20250930T210000Z",
	"SUMMARY:US-led coalition leaves Ain al-Asad and Camp Victory",
	"DESCRIPTION:Deadline by September 2025 (month precision).\\n\\nFirst phase o",
	" f the transition agreed in September 2024.",
	"BEGIN:VALARM",
	"ACTION:DISPLAY",
	"TRIGGER:-P7D",
	"DESCRIPTION:US-led coalition leaves Ain al-Asad and Camp Victory: P7D befo",
	" re",
	"END:VALARM",
	"BEGIN:VALARM",
	"ACTION:DISPLAY",
	"TRIGGER:PT0S",
	"DESCRIPTION:US-led coalition leaves Ain al-Asad and Camp Victory: due now",
	"END:VALARM",
	"CATEGORIES:withdrawal,iraq",
	"URL;VALUE=URI:https://example.org/joint-statement",
	"STATUS:CONFIRMED",
	"END:VEVENT",
	"END:VCALENDAR",
].join("\r\n");
