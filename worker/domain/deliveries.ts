import { and, eq, lt, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { type DeliveryRow, deliveries, incidents } from "../db/schema";

/** Delivery keys (webhook-id) are remembered at least this long; the sweep prunes older ones. */
export const DELIVERY_RETENTION_MS = 7 * 86_400_000;
/** A claim whose writer vanished (crash, timeout) may be taken over after this long. */
export const CLAIM_TIMEOUT_MS = 60_000;
/** `status` of a delivery that is claimed but not finished yet. */
export const IN_PROGRESS = 0;

export type Claim = { owned: true; id: number } | { owned: false; existing: DeliveryRow };

/**
 * Claims a webhook-id for this source: INSERT … ON CONFLICT DO NOTHING, so of any number of
 * concurrent deliveries exactly one gets the row. The others see the existing delivery.
 * An unfinished claim older than CLAIM_TIMEOUT_MS is taken over by compare-and-set.
 */
export async function claimDelivery(db: Db, sourceId: number, webhookId: string, bodySha256: string, now: Date): Promise<Claim> {
	const [mine] = await db
		.insert(deliveries)
		.values({ sourceId, webhookId, bodySha256, status: IN_PROGRESS, response: {}, createdAt: now })
		.onConflictDoNothing({ target: [deliveries.sourceId, deliveries.webhookId] })
		.returning({ id: deliveries.id });
	if (mine) return { owned: true, id: mine.id };
	const existing = await db.query.deliveries.findFirst({ where: and(eq(deliveries.sourceId, sourceId), eq(deliveries.webhookId, webhookId)) });
	// Pruned between our insert and this read: the id is free again, try once more.
	if (!existing) return claimDelivery(db, sourceId, webhookId, bodySha256, now);
	if (existing.status === IN_PROGRESS && existing.bodySha256 === bodySha256 && now.getTime() - existing.createdAt.getTime() > CLAIM_TIMEOUT_MS) {
		const [taken] = await db
			.update(deliveries)
			.set({ createdAt: now })
			.where(and(eq(deliveries.id, existing.id), eq(deliveries.status, IN_PROGRESS), eq(deliveries.createdAt, existing.createdAt)))
			.returning({ id: deliveries.id });
		if (taken) return { owned: true, id: taken.id };
	}
	return { owned: false, existing };
}

/** How long a duplicate waits for the copy of its message that is still being written, before 409. */
export const CLAIM_WAIT_MS = 2_000;
const FIRST_POLL_MS = 10;
const MAX_POLL_MS = 200;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * claimDelivery, but a duplicate of a message still being written (a sender's retry storm, or
 * its own timeout-and-resend) waits up to `waitMs` for that write, polling the row, so it can
 * answer with the stored result instead of 409. If the writer gives the claim back (its write
 * failed), the waiter claims it and writes the message itself. Still in flight at the deadline:
 * returns the in-progress row, and the caller answers 409.
 */
export async function claimOrAwaitDelivery(db: Db, sourceId: number, webhookId: string, bodySha256: string, now: Date, waitMs = CLAIM_WAIT_MS): Promise<Claim> {
	const deadline = Date.now() + waitMs;
	let delay = FIRST_POLL_MS;
	let claim = await claimDelivery(db, sourceId, webhookId, bodySha256, now);
	while (!claim.owned && claim.existing.status === IN_PROGRESS && claim.existing.bodySha256 === bodySha256 && Date.now() + delay <= deadline) {
		await sleep(delay);
		delay = Math.min(delay * 2, MAX_POLL_MS);
		const row = await db.query.deliveries.findFirst({ where: and(eq(deliveries.sourceId, sourceId), eq(deliveries.webhookId, webhookId)) });
		claim = row ? { owned: false, existing: row } : await claimDelivery(db, sourceId, webhookId, bodySha256, now);
	}
	return claim;
}

/** Records the answer a claimed delivery gave, so a replay returns it unchanged. */
export function completeDeliveryStatement(db: Db, id: number, status: number, response: unknown) {
	return db.update(deliveries).set({ status, response }).where(eq(deliveries.id, id));
}

/**
 * Completes a report delivery inside the same D1 batch as its incident upserts, so the incidents
 * and the stored answer commit together or not at all (a 503 then leaves nothing for the retry to
 * trip over). The answer is computed by SQL from the rows the batch has just written: every id in
 * the message's order, and as duplicates the rows that existed before (reported_at is not `now`,
 * as the upsert keeps the first report's time). RETURNING hands the stored answer back.
 * CROSS JOIN pins the loop order (SQLite never reorders it): one unique-index probe per id,
 * never a walk over all of the source's incidents.
 */
export function completeReportStatement(db: Db, id: number, status: number, sourceId: number, externalIds: readonly string[], now: Date) {
	const answer = sql`(
		SELECT json_object('accepted', count(*), 'duplicates', coalesce(sum(w.reported_at <> ${now.getTime()}), 0), 'ids', json_group_array(w.id))
		FROM (
			SELECT i.id, i.reported_at FROM json_each(${JSON.stringify(externalIds)}) AS j
			CROSS JOIN ${incidents} AS i ON i.source_id = ${sourceId} AND i.external_id = j.value
			ORDER BY j.key
		) AS w
	)`;
	return db.update(deliveries).set({ status, response: answer }).where(eq(deliveries.id, id)).returning({ response: deliveries.response });
}

/** Gives a claim back when the write failed, so the sender's retry can succeed. */
export async function releaseDelivery(db: Db, id: number): Promise<void> {
	await db.delete(deliveries).where(and(eq(deliveries.id, id), eq(deliveries.status, IN_PROGRESS)));
}

/** Forgets delivery keys older than the retention (7 days); returns how many. For the sweep cron. */
export async function pruneDeliveries(db: Db, now: Date): Promise<number> {
	const result = await db
		.delete(deliveries)
		.where(lt(deliveries.createdAt, new Date(now.getTime() - DELIVERY_RETENTION_MS)))
		.run();
	return result.meta.changes;
}
