/**
 * Mail that bounces stops being sent: Email Service's delivery events suppress a subscriber or
 * count a soft bounce, each event applied once; an admin reactivates.
 */
import { and, eq, isNull, lt, notExists, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { emailEvents, type SubscriberRow, type SuppressionReason, subscribers } from "../db/schema";
import { AppError } from "../http/errors";
import { type EmailEventInput, effectOf, eventKind } from "./email-events";

/**
 * The statement that stops all mail to a subscriber, for a caller's batch. The first reason stays:
 * a later bounce does not rewrite why and when it was first suppressed. `unless` lets a caller
 * make it conditional on the rest of its batch.
 */
export function suppressSubscriber(db: Db, id: number, reason: SuppressionReason, now: Date, unless?: SQL) {
	return db
		.update(subscribers)
		.set({ suppressedAt: now, suppressedReason: reason })
		.where(and(eq(subscribers.id, id), isNull(subscribers.suppressedAt), unless));
}

/** What applying one delivery event did, for its log line. */
export type EmailEventOutcome = "suppressed" | "soft_bounce_counted" | "duplicate" | "unknown_recipient" | "ignored";

/**
 * Applies one delivery event: the effect and the event id in one batch, each effect guarded by
 * the id not being there yet, so a redelivered event (or two consumers racing with the same one)
 * changes nothing the second time. Events for no known subscriber, or that change nothing, are
 * not recorded.
 */
export async function applyEmailEvent(db: Db, event: EmailEventInput, now: Date): Promise<{ outcome: EmailEventOutcome; subscriberId: number | null }> {
	const effect = effectOf(event);
	if (effect.kind === "none") return { outcome: "ignored", subscriberId: null };
	const email = event.payload.recipient.trim().toLowerCase();
	const subscriber = await db.query.subscribers.findFirst({ where: eq(subscribers.email, email), columns: { id: true } });
	if (!subscriber) return { outcome: "unknown_recipient", subscriberId: null };
	const { eventId } = event.payload;
	const fresh = notExists(db.select({ one: sql`1` }).from(emailEvents).where(eq(emailEvents.eventId, eventId)));
	const change =
		effect.kind === "suppress"
			? suppressSubscriber(db, subscriber.id, effect.reason, now, fresh)
			: db
					.update(subscribers)
					.set({ softBounces: sql`${subscribers.softBounces} + 1`, lastSoftBounceAt: now })
					.where(and(eq(subscribers.id, subscriber.id), fresh));
	const [, recorded] = await db.batch([
		change,
		db
			.insert(emailEvents)
			.values({ eventId, kind: eventKind(event.type), subscriberId: subscriber.id, receivedAt: now })
			.onConflictDoNothing()
			.returning({ eventId: emailEvents.eventId }),
	]);
	if (recorded.length === 0) return { outcome: "duplicate", subscriberId: subscriber.id };
	return { outcome: effect.kind === "suppress" ? "suppressed" : "soft_bounce_counted", subscriberId: subscriber.id };
}

/**
 * Event ids are kept this long: queues redeliver within minutes (retries, then the dead-letter
 * queue), so a month covers any replay while the table stays as small as the bounces it records.
 */
export const EMAIL_EVENT_RETENTION_MS = 30 * 86_400_000;

/** Forgets applied event ids older than the retention; returns how many. For the sweep's hourly chores. */
export async function pruneEmailEvents(db: Db, now: Date): Promise<number> {
	const result = await db
		.delete(emailEvents)
		.where(lt(emailEvents.receivedAt, new Date(now.getTime() - EMAIL_EVENT_RETENTION_MS)))
		.run();
	return result.meta.changes;
}

/**
 * POST /api/subscribers/:id/reactivate (admin): mail resumes and the soft-bounce count starts
 * again. Unsubscribing is the recipient's own choice and stays as it is. Idempotent.
 */
export async function reactivateSubscriber(db: Db, id: string): Promise<SubscriberRow> {
	const [row] = /^\d{1,15}$/.test(id)
		? await db
				.update(subscribers)
				.set({ suppressedAt: null, suppressedReason: null, softBounces: 0 })
				.where(eq(subscribers.id, Number(id)))
				.returning()
		: [];
	if (!row) throw new AppError("not_found", `No subscriber "${id}".`);
	return row;
}

/** For /status: subscribers who would get mail but are suppressed, and those whose mail soft-bounced. One scan of a small table. */
export async function deliveryHealth(db: Db): Promise<{ suppressed: number; soft_bouncing: number }> {
	const [row] = await db
		.select({
			suppressed: sql<number>`coalesce(sum(${subscribers.suppressedAt} IS NOT NULL), 0)`,
			softBouncing: sql<number>`coalesce(sum(${subscribers.suppressedAt} IS NULL AND ${subscribers.softBounces} > 0), 0)`,
		})
		.from(subscribers)
		.where(isNull(subscribers.unsubscribedAt));
	return { suppressed: row?.suppressed ?? 0, soft_bouncing: row?.softBouncing ?? 0 };
}
