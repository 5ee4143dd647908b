import { and, eq, lt } from "drizzle-orm";
import type { Db } from "../db/client";
import { type DeliveryRow, deliveries } from "../db/schema";

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

/** Records the answer a claimed delivery gave, so a replay returns it unchanged. */
export function completeDeliveryStatement(db: Db, id: number, status: number, response: unknown) {
	return db.update(deliveries).set({ status, response }).where(eq(deliveries.id, id));
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
