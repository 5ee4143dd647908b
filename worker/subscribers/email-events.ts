/**
 * Cloudflare Email Service's delivery events, as a Queue event subscription delivers them, and
 * what each one means for a subscriber. Pure: no bindings.
 *
 * The shape is the one documented at
 * https://developers.cloudflare.com/email-service/platform/event-subscriptions/#available-email-sending-events
 * (event schema version 1): `{type: "cf.email.sending.message.<kind>", source, payload: {eventId,
 * recipient, bounce?: {type: "hard"|"soft", …}, rejection?: {reason, …}, …}, metadata}`. The page
 * gives examples, not a closed schema, so only the fields acted on are required and everything
 * else is let through: a new field or a new event type is acknowledged, not an error.
 */
import { z } from "@hono/zod-openapi";
import type { SuppressionReason } from "../db/schema";

const TYPE_PREFIX = "cf.email.sending.message.";

/** What every event carries that Vigil needs: its type, its id (for exactly-once) and the recipient. */
export const EmailEvent = z.looseObject({
	type: z.string().min(1).max(200),
	payload: z.looseObject({
		eventId: z.string().min(1).max(200),
		recipient: z.string().min(3).max(320),
		// The docs name "hard" and "soft"; anything else is kept as text and not taken for a hard bounce.
		bounce: z.looseObject({ type: z.string().max(40).optional() }).optional(),
		rejection: z.looseObject({ reason: z.string().max(200).optional() }).optional(),
	}),
});
export type EmailEventInput = z.infer<typeof EmailEvent>;

/** What an event does to the subscriber it names. */
export type EmailEventEffect = { kind: "suppress"; reason: SuppressionReason } | { kind: "soft_bounce" } | { kind: "none" };

/** The event's kind without Cloudflare's prefix ("bounced", "complained", …), or the type as sent. */
export const eventKind = (type: string) => (type.startsWith(TYPE_PREFIX) ? type.slice(TYPE_PREFIX.length) : type);

/**
 * A hard bounce or a complaint suppresses; so does a rejection because Email Service itself has
 * the address on its suppression list. A bounce whose type is not "hard" (retries exhausted: "soft",
 * or a type the docs do not name) is counted, never taken for a hard one: suppressing stops all
 * mail, so it needs the documented signal. Delivered, deferred (still retrying), failed (Cloudflare's
 * side) and unknown kinds change nothing.
 */
export function effectOf(event: EmailEventInput): EmailEventEffect {
	switch (eventKind(event.type)) {
		case "bounced":
			return event.payload.bounce?.type === "hard" ? { kind: "suppress", reason: "hard_bounce" } : { kind: "soft_bounce" };
		case "complained":
			return { kind: "suppress", reason: "complaint" };
		case "rejected":
			return event.payload.rejection?.reason === "suppressed" ? { kind: "suppress", reason: "provider_suppressed" } : { kind: "none" };
		default:
			return { kind: "none" };
	}
}
