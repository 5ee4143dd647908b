import { createDb, type Db } from "./db/client";
import type { Env } from "./env";
import { consumeIngest, consumeIngestDeadLetters } from "./incidents";
import { consumeEmailEvents } from "./subscribers";

/** A queue's consumer: the batch, the db and the clock, resolved once per batch. */
type Consumer = (batch: MessageBatch, db: Db, now: Date) => Promise<void>;

/** Each queue of `[[queues.consumers]]` in wrangler.toml and what consumes it (a test checks they match). */
export const CONSUMERS: Readonly<Record<string, Consumer>> = {
	// Email Service's delivery events (bounces, complaints): docs/deploy.md points them here.
	"vigil-email-events": consumeEmailEvents,
	// Queued webhooks (INGEST_QUEUE), written in batches; those whose retries ran out, recorded for /status.
	"vigil-ingest": consumeIngest,
	"vigil-ingest-dlq": consumeIngestDeadLetters,
};

/**
 * The queue() handler: the batch goes to its queue's consumer. A batch from a queue with no
 * consumer here is a configuration error: it is retried, and ends in that queue's dead-letter
 * queue if it has one, rather than being acknowledged unread.
 */
export async function runQueue(batch: MessageBatch, env: Env, now = new Date()): Promise<void> {
	const consumer = CONSUMERS[batch.queue];
	if (!consumer) {
		console.error(JSON.stringify({ event: "queue_batch", queue: batch.queue, outcome: "no_consumer", messages: batch.messages.length }));
		batch.retryAll();
		return;
	}
	await consumer(batch, createDb(env.DB), now);
}
