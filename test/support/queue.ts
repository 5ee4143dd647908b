// Queued webhooks in tests: a producer that records what the Worker sends (so a test decides when
// and how the consumer sees it), the Worker called with it bound as INGEST_QUEUE, and batches
// delivered to queue() as the Queues runtime would, with the acks and retries it leaves.
import { createExecutionContext, createMessageBatch, env, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import worker from "../../worker/index";
import { signedHeaders } from "./intake";

/** An INGEST_QUEUE binding that keeps each sent body (as JSON, as Queues would carry it) instead of delivering it. */
export class RecordingQueue {
	readonly sent: unknown[] = [];
	async send(body: unknown): Promise<QueueSendResponse> {
		this.sent.push(JSON.parse(JSON.stringify(body)));
		return { metadata: { metrics: { backlogCount: 0, backlogBytes: 0, oldestMessageTimestamp: new Date(0) } } };
	}
	async sendBatch(): Promise<QueueSendBatchResponse> {
		throw new Error("the producer sends one message per webhook");
	}
	/** Takes the bodies sent so far. */
	take(): unknown[] {
		return this.sent.splice(0);
	}
}

/** An INGEST_QUEUE binding whose every send fails, as Queues does when it cannot take a message. */
export class FailingQueue extends RecordingQueue {
	override async send(): Promise<QueueSendResponse> {
		throw new Error("Queue send failed: Too Many Requests");
	}
}

/** Posts a signed webhook to the Worker with `queue` bound as INGEST_QUEUE (and `database` as DB). */
export async function postQueued(
	queue: RecordingQueue | Queue,
	slug: string,
	secret: string,
	payload: unknown,
	opts: { id?: string; at?: Date; body?: string; database?: D1Database } = {},
): Promise<Response> {
	const body = opts.body ?? JSON.stringify(payload);
	const headers = { "content-type": "application/json", ...signedHeaders(secret, body, opts) };
	const ctx = createExecutionContext();
	const bindings = { ...env, INGEST_QUEUE: queue as Queue, DB: opts.database ?? env.DB };
	const res = await worker.fetch(new Request(`https://vigil.test/webhooks/${slug}`, { method: "POST", headers, body }), bindings, ctx);
	await waitOnExecutionContext(ctx);
	return res;
}

let seq = 0;

/** Delivers `bodies` as one batch of `queue` to the Worker's queue() handler; answers which were acked and retried (by message id, in order). */
export async function consume(bodies: unknown[], opts: { queue?: string; database?: D1Database; attempts?: number; now?: Date } = {}) {
	const messages = bodies.map((body) => ({ id: `q-${++seq}`, timestamp: opts.now ?? new Date(), attempts: opts.attempts ?? 1, body }));
	const batch = createMessageBatch(opts.queue ?? "vigil-ingest", messages);
	await worker.queue(batch, { ...env, DB: opts.database ?? env.DB });
	const result = await getQueueResult(batch, createExecutionContext());
	const ids = messages.map((m) => m.id);
	return { ids, acked: result.explicitAcks, retried: result.retryMessages.map((r) => r.msgId), ackedAll: result.ackAll, retriedAll: result.retryBatch.retry };
}
