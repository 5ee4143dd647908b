/**
 * The consumer of the email-events queue: Email Service's delivery events, one at a time, each
 * acknowledged once applied or once known to be of no use (malformed, unknown recipient, a kind
 * that changes nothing), and retried only when D1 failed, so nothing is retried forever.
 */
import type { Db } from "../db/client";
import { describeError } from "../log";
import { EmailEvent } from "./email-events";
import { applyEmailEvent } from "./suppression";

/** One JSON line per message, so Workers Logs can be filtered by outcome. Never the address itself. */
function logLine(level: "log" | "warn" | "error", fields: Record<string, string | number | null>) {
	console[level](JSON.stringify({ event: "email_event", ...fields }));
}

/** Applies a batch of delivery events; a message whose write failed is retried (wrangler.toml sets the delay and the dead-letter queue). */
export async function consumeEmailEvents(batch: MessageBatch, db: Db, now: Date): Promise<void> {
	for (const message of batch.messages) {
		const parsed = EmailEvent.safeParse(message.body);
		if (!parsed.success) {
			const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
			logLine("warn", { queue: batch.queue, message_id: message.id, outcome: "malformed", problems: problems.slice(0, 300) });
			message.ack();
			continue;
		}
		const { type, payload } = parsed.data;
		try {
			const { outcome, subscriberId } = await applyEmailEvent(db, parsed.data, now);
			logLine(outcome === "unknown_recipient" ? "warn" : "log", {
				queue: batch.queue,
				message_id: message.id,
				event_id: payload.eventId,
				type,
				outcome,
				subscriber_id: subscriberId,
			});
			message.ack();
		} catch (e) {
			logLine("error", {
				queue: batch.queue,
				message_id: message.id,
				event_id: payload.eventId,
				type,
				outcome: "retry",
				attempts: message.attempts,
				error: describeError(e).slice(0, 300),
			});
			message.retry();
		}
	}
}
