import { z } from "@hono/zod-openapi";
import { AppError } from "../../http/errors";
import { IncidentInput, RetractInput } from "../schema";
import type { Message } from "./parse";

/**
 * A webhook message as it travels through the ingest queue: verified and validated at receipt,
 * written by the consumer (consume.ts). It carries what the write needs (the source's id, the
 * webhook-id, the body's digest for a reused id, the validated items, when it was received) and
 * never the source's secret or the raw body.
 */
const common = {
	v: z.literal(1),
	source_id: z.number().int().positive(),
	webhook_id: z.string().min(1).max(256),
	body_sha256: z.string().min(1),
	/** Milliseconds: the 202's clock, which the rows get as reported_at/updated_at, as a direct write would. */
	received_at: z.number().int(),
};

export const QueuedMessage = z.discriminatedUnion("type", [
	z.object({ ...common, type: z.enum(["incident.reported", "incident.updated"]), items: z.array(IncidentInput).min(1) }),
	z.object({ ...common, type: z.literal("incident.retracted"), items: z.array(RetractInput).min(1) }),
]);
export type QueuedMessage = z.infer<typeof QueuedMessage>;

/** What the dead-letter consumer needs of a message, however else it may be broken. */
export const DeadLetter = z.object({ source_id: common.source_id, webhook_id: common.webhook_id, received_at: common.received_at });

/** Queues refuses a message over 128 KB; a validated message bigger than this is written directly instead. */
export const MAX_QUEUED_BYTES = 120 * 1024;

/** The 202 of a queued message: how many reports it holds, written once the consumer takes it. */
export interface Queued {
	accepted: number;
	queued: true;
}

const encoder = new TextEncoder();

/**
 * Sends a verified, validated message to the ingest queue with one `send`, or answers null when it
 * is too big for a queue message (the caller writes it directly). A send the queue refuses (over its
 * rate, or down) is 503 with Retry-After, whatever words the binding's error uses: nothing was
 * written and no receipt kept, so the sender's retry of the same webhook-id is taken as new.
 */
export async function enqueue(
	queue: Queue,
	message: Message,
	m: { sourceId: number; webhookId: string; bodySha256: string; now: Date },
): Promise<Queued | null> {
	const body = {
		v: 1,
		source_id: m.sourceId,
		webhook_id: m.webhookId,
		body_sha256: m.bodySha256,
		received_at: m.now.getTime(),
		type: message.type,
		items: message.items.list,
	};
	const json = JSON.stringify(body);
	if (encoder.encode(json).byteLength > MAX_QUEUED_BYTES) return null;
	try {
		await queue.send(body, { contentType: "json" });
	} catch (e) {
		throw new AppError("unavailable", "The ingest queue did not take the message; retry shortly.", { headers: { "retry-after": "5" }, cause: e });
	}
	return { accepted: message.items.list.length, queued: true };
}
