import type { AlertJson } from "./schema";
import type { SilenceJson } from "./silence-schema";

// Examples for the ledger and silence routes, typed by the schemas they illustrate;
// test/http/openapi.test.ts parses them with their schemas.
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

/** An overdue reminder, acknowledged by its recipient through the link it carried. */
export const acknowledgedAlertExample = {
	id: 44,
	kind: "overdue",
	milestone_id: 1,
	zone_id: null,
	offset: "-P7D",
	due_at: "2025-09-30T21:00:00.000Z",
	recipient: "desk@example.org",
	channel_id: null,
	status: "sent",
	attempts: 1,
	next_attempt_at: "2025-10-07T21:00:00.000Z",
	last_error: null,
	message_id: "0100019900a1b2c3-example-000044",
	created_at: "2025-10-07T21:00:00.000Z",
	sent_at: "2025-10-07T21:00:03.000Z",
	acknowledged: { at: "2025-10-08T07:12:40.000Z", by_kind: "subscriber", by: "desk@example.org", alert_id: 44 },
} satisfies AlertJson;

export const alertListExample = {
	items: [
		{
			id: 32,
			kind: "surge",
			milestone_id: null,
			zone_id: 3,
			offset: null,
			due_at: "2025-08-21T06:00:00.000Z",
			recipient: "channel:4",
			channel_id: 4,
			status: "pending",
			attempts: 2,
			next_attempt_at: "2025-08-21T06:30:00.000Z",
			last_error: "HTTP 429: rate limited",
			message_id: null,
			created_at: "2025-08-21T06:00:00.000Z",
			sent_at: null,
			acknowledged: null,
		},
		{
			id: 31,
			kind: "surge",
			milestone_id: null,
			zone_id: 3,
			offset: null,
			due_at: "2025-08-21T06:00:00.000Z",
			recipient: "desk@example.org",
			channel_id: null,
			status: "pending",
			attempts: 1,
			next_attempt_at: "2025-08-21T06:20:00.000Z",
			last_error: "Email provider answered 503; will retry",
			message_id: null,
			created_at: "2025-08-21T06:00:00.000Z",
			sent_at: null,
			acknowledged: null,
		},
		{
			id: 27,
			kind: "deadline",
			milestone_id: 1,
			zone_id: null,
			offset: "P30D",
			due_at: "2025-09-30T21:00:00.000Z",
			recipient: "desk@example.org",
			channel_id: null,
			status: "sent",
			attempts: 1,
			next_attempt_at: "2025-08-31T21:00:00.000Z",
			last_error: null,
			message_id: "0100019900a1b2c3-example-000000",
			created_at: "2025-08-31T21:00:00.000Z",
			sent_at: "2025-08-31T21:00:04.000Z",
			acknowledged: null,
		},
	],
	next_cursor: null,
} satisfies { items: AlertJson[]; next_cursor: string | null };

export const ackConfirmPageExample =
	'<html lang="en"><head><meta charset="utf-8"/><title>Vigil: acknowledge</title>…</head><body><h1>Vigil alerts</h1><p><strong>US-led coalition leaves</strong> is overdue: it was due by September 2025 (2025-09-30 21:00 UTC).</p><form method="post" action="/ack/44.…"><p>Acknowledge it, so that nobody gets more reminders for this due date? A new due date will start them again.</p><button type="submit">Acknowledge</button></form></body></html>';

export const acknowledgedPageExample =
	'<html lang="en"><head><meta charset="utf-8"/><title>Vigil: acknowledge</title>…</head><body><h1>Vigil alerts</h1><p><strong>US-led coalition leaves</strong> is overdue: it was due by September 2025 (2025-09-30 21:00 UTC).</p><p>Acknowledged by desk@example.org on 2025-10-08 07:12 UTC: no more reminders for this due date. A new due date will start them again.</p></body></html>';
