import { z } from "@hono/zod-openapi";
import { SUPPRESSION_REASONS, type SubscriberRow } from "../db/schema";
import { Label, listOf, Page, Slug, Tag, Timestamp } from "../http/schemas";

// The practical address syntax mail providers accept; no spaces, quotes or control characters.
const Email = z
	.string()
	.trim()
	.max(254)
	.regex(
		/^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/,
		"must be an email address",
	)
	.openapi({ format: "email", example: "desk@example.org" });

export const CreateSubscriber = z
	.object({
		email: Email,
		name: Label(120).optional(),
		zones: z.array(Slug).max(50).optional().openapi({ description: "Zone slugs; empty or absent: every zone" }),
		tags: z.array(Tag).max(50).optional().openapi({ description: "Milestone tags; empty or absent: every milestone" }),
		digest: z.boolean().optional().openapi({ description: "Daily digest of new incidents (default true)" }),
		paused: z.boolean().optional(),
	})
	.strict()
	.openapi("CreateSubscriber", { example: { email: "desk@example.org", name: "Security desk", zones: ["wadi-hauran"], tags: ["withdrawal"], digest: true } });

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
		created_at: Timestamp,
	})
	.openapi("Subscriber");

export const SubscriberList = listOf(Subscriber, "SubscriberList");
export const SubscriberQuery = Page.strict();

export type CreateSubscriberInput = z.infer<typeof CreateSubscriber>;
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
		created_at: row.createdAt.toISOString(),
	};
}
