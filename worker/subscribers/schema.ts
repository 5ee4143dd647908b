import { z } from "@hono/zod-openapi";
import { CONSENT_SOURCES, PAGE_LANGUAGES, SUPPRESSION_REASONS, type SubscriberRow } from "../db/schema";
import { Label, listOf, Page, Slug, Tag, Timestamp } from "../http/schemas";

// The practical address syntax mail providers accept; no spaces, quotes or control characters.
export const Email = z
	.string()
	.trim()
	.max(254)
	.regex(
		/^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/,
		"must be an email address",
	)
	.openapi({ format: "email", example: "desk@example.org" });

/** What an admin may set on a subscription, at creation and later with PATCH (the address is fixed). */
const preferences = {
	name: Label(120),
	zones: z.array(Slug).max(50).openapi({ description: "Zone slugs; empty or absent: every zone" }),
	tags: z.array(Tag).max(50).openapi({ description: "Milestone tags; empty or absent: every milestone" }),
	digest: z.boolean().openapi({ description: "Daily digest of new incidents (default true)" }),
	paused: z.boolean().openapi({ description: "While true, nothing is planned or sent to them (default false)" }),
};

export const CreateSubscriber = z
	.object({
		email: Email,
		name: preferences.name.optional(),
		zones: preferences.zones.optional(),
		tags: preferences.tags.optional(),
		digest: preferences.digest.optional(),
		paused: preferences.paused.optional(),
		resubscribe: z.boolean().optional().openapi({
			description:
				"Say true only when an address that unsubscribed has consented again: without it, such an address is a 409. Recorded as consent_source `admin_resubscribe`.",
		}),
	})
	.strict()
	.openapi("CreateSubscriber", { example: { email: "desk@example.org", name: "Security desk", zones: ["wadi-hauran"], tags: ["withdrawal"], digest: true } });

export const UpdateSubscriber = z
	.object(
		{ ...preferences, name: preferences.name.nullable() },
		{
			// The address is what consent was given for: a new one is a new subscription.
			error: (issue) =>
				issue.code === "unrecognized_keys" && issue.keys.includes("email")
					? '"email" cannot be changed: add the new address with POST /api/subscribers (it needs its own consent) and DELETE this one'
					: undefined,
		},
	)
	.partial()
	.strict()
	.refine((v) => Object.keys(v).length > 0, { message: "give at least one field to change", when: (payload) => payload.issues.length === 0 })
	.openapi("UpdateSubscriber", { example: { paused: true } });

export const Subscriber = z
	.object({
		id: z.number().int(),
		email: z.string(),
		name: z.string().nullable(),
		zones: z.array(z.string()),
		tags: z.array(z.string()),
		digest: z.boolean(),
		paused: z.boolean(),
		unsubscribed_at: Timestamp.nullable(),
		suppressed_at: Timestamp.nullable().openapi({
			description: "Set by a hard bounce, a spam complaint or Email Service refusing the address: no mail until `POST /api/subscribers/{id}/reactivate`",
		}),
		suppressed_reason: z.enum(SUPPRESSION_REASONS).nullable(),
		soft_bounces: z.number().int().openapi({ description: "Soft bounces (delivery retries exhausted) since the last reactivation" }),
		last_soft_bounce_at: Timestamp.nullable(),
		unsubscribe_url: z.string().openapi({ description: "Shown to the admin so they can pass it on; the same link is in every email" }),
		consent_at: Timestamp.nullable().openapi({ description: "When the address consented to this subscription; null if added before Vigil recorded it" }),
		consent_source: z.enum(CONSENT_SOURCES).nullable().openapi({
			description:
				"`admin`: added by an admin; `admin_resubscribe`: an address that had unsubscribed, added again by an admin with `resubscribe: true`; `page_double_opt_in`: the address confirmed a page's subscribe form from the link mailed to it",
		}),
		language: z.enum(PAGE_LANGUAGES).openapi({ description: "What their mail is written in: the page's language when they subscribed from one, else `en`" }),
		created_at: Timestamp,
		updated_at: Timestamp.nullable().openapi({ description: "The last PATCH or re-subscription; null while as created" }),
	})
	.openapi("Subscriber");

export const SubscriberList = listOf(Subscriber, "SubscriberList");
export const SubscriberQuery = Page.strict();

export type CreateSubscriberInput = z.infer<typeof CreateSubscriber>;
export type UpdateSubscriberInput = z.infer<typeof UpdateSubscriber>;
export type SubscriberJson = z.infer<typeof Subscriber>;

/** The one-click unsubscribe link for a subscriber (https in production: RFC 8058 needs it). */
export const unsubscribeUrl = (appUrl: string, token: string) => `${appUrl}/unsubscribe/${token}`;

/** The public JSON for a subscriber row. */
export function subscriberJson(row: SubscriberRow, appUrl: string): SubscriberJson {
	return {
		id: row.id,
		email: row.email,
		name: row.name,
		zones: row.zones,
		tags: row.tags,
		digest: row.digest,
		paused: row.paused,
		unsubscribed_at: row.unsubscribedAt?.toISOString() ?? null,
		suppressed_at: row.suppressedAt?.toISOString() ?? null,
		suppressed_reason: row.suppressedReason,
		soft_bounces: row.softBounces,
		last_soft_bounce_at: row.lastSoftBounceAt?.toISOString() ?? null,
		unsubscribe_url: unsubscribeUrl(appUrl, row.unsubscribeToken),
		consent_at: row.consentAt?.toISOString() ?? null,
		consent_source: row.consentSource,
		language: row.language,
		created_at: row.createdAt.toISOString(),
		updated_at: row.updatedAt?.toISOString() ?? null,
	};
}

/** POST /p/:slug/subscribe, as JSON or as the form's `email` field. */
export const SubscribeRequest = z
	.object({ email: Email })
	.strict()
	.openapi("SubscribeRequest", { example: { email: "reader@example.org" } });

/** The one answer to a subscribe request, whatever the address's state: it reveals nothing. */
export const SubscribeAccepted = z
	.object({ message: z.string() })
	.openapi("SubscribeAccepted", { example: { message: "If this address can be subscribed, a confirmation link is on its way to it." } });
