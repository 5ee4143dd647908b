import type { SubscriberJson } from "./schema";

// Examples for the subscriber routes and unsubscribe pages, typed by the schemas they illustrate.
// The unsubscribe token is base64url of "example-unsubscribe-token-000001": shaped like a real
// one, plainly not one.

export const subscriberExample = {
	id: 5,
	email: "desk@example.org",
	name: "Security desk",
	zones: ["wadi-hauran"],
	tags: ["withdrawal"],
	digest: true,
	paused: false,
	unsubscribed_at: null,
	suppressed_at: null,
	suppressed_reason: null,
	soft_bounces: 0,
	last_soft_bounce_at: null,
	unsubscribe_url: "https://vigil.example.org/unsubscribe/ZXhhbXBsZS11bnN1YnNjcmliZS10b2tlbi0wMDAwMDE",
	consent_at: "2025-02-10T08:00:00.000Z",
	consent_source: "admin",
	language: "en",
	created_at: "2025-02-10T08:00:00.000Z",
	updated_at: null,
} satisfies SubscriberJson;

export const subscriberListExample = {
	items: [subscriberExample],
	next_cursor: null,
} satisfies { items: SubscriberJson[]; next_cursor: string | null };

export const suppressedSubscriberExample = {
	...subscriberExample,
	suppressed_at: "2025-09-05T12:30:00.000Z",
	suppressed_reason: "hard_bounce",
	soft_bounces: 1,
	last_soft_bounce_at: "2025-08-28T06:00:09.000Z",
} satisfies SubscriberJson;

/** The same subscriber paused for a while, following one more tag. */
export const pausedSubscriberExample = {
	...subscriberExample,
	tags: ["withdrawal", "elections"],
	paused: true,
	updated_at: "2025-03-02T16:20:00.000Z",
} satisfies SubscriberJson;

export const unsubscribedSubscriberExample = { ...subscriberExample, unsubscribed_at: "2025-09-05T12:30:00.000Z" } satisfies SubscriberJson;

export const unsubscribeConfirmPageExample =
	'<html lang="en"><head><meta charset="utf-8"/><title>Vigil: unsubscribe</title>…</head><body><main><h1>Vigil alerts</h1><form method="post" action="/unsubscribe/ZXhhbXBsZS11bnN1YnNjcmliZS10b2tlbi0wMDAwMDE"><p>Stop all Vigil alerts and digests to <strong>desk@example.org</strong>?</p><input type="hidden" name="List-Unsubscribe" value="One-Click"/><button type="submit">Unsubscribe</button></form></main></body></html>';

export const unsubscribedPageExample =
	'<html lang="en"><head><meta charset="utf-8"/><title>Vigil: unsubscribe</title>…</head><body><main><h1>Vigil alerts</h1><p><strong>desk@example.org</strong> is unsubscribed and will get no more alerts or digests.</p></main></body></html>';

export const checkInboxPageExample =
	'<html lang="en"><head><meta charset="utf-8"/><title>Vigil: subscribe</title>…</head><body><main><h1>Vigil alerts</h1><p role="status">Check your inbox: if this address can be subscribed, a message with a confirmation link is on its way. The link works for 7 days.</p></main></body></html>';

export const confirmPageExample =
	'<html lang="en"><head><meta charset="utf-8"/><title>Vigil: subscribe</title>…</head><body><main><h1>Vigil alerts</h1><form method="post" action="/confirm/ZXhhbXBsZS1jb25maXJtYXRpb24tdG9rZW4tMDAwMDE"><p>Send Vigil alerts for &quot;Iraq after the withdrawal&quot; to reader@example.org?</p><button type="submit">Confirm</button></form></main></body></html>';

export const confirmedPageExample =
	'<html lang="en"><head><meta charset="utf-8"/><title>Vigil: subscribe</title>…</head><body><main><h1>Vigil alerts</h1><p role="status">reader@example.org is subscribed to &quot;Iraq after the withdrawal&quot;. Every email has a link to unsubscribe.</p></main></body></html>';
