import { and, eq, lt, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { type DeliveryRow, deliveries, incidents, type SourceRow, sources, zones } from "../db/schema";

/** Delivery keys (webhook-id) are remembered at least this long; the sweep prunes older ones. */
export const DELIVERY_RETENTION_MS = 7 * 86_400_000;
/**
 * `status` of a claim written by Vigil before 0.2, which claimed a webhook-id before writing the
 * message. A row like this is left only if that writer died midway: nothing of it was written.
 */
export const LEGACY_IN_PROGRESS = 0;

/**
 * What a delivery row is filed under, checked in the same statement that writes it: the source's
 * id if the source is still active with the secrets the message was verified against and the
 * zones are still the set the incidents were placed in, else NULL. deliveries.source_id is NOT
 * NULL, so a stale check fails the statement and with it the whole D1 batch: nothing is written
 * on the strength of a snapshot (intake-cache.ts) that no longer holds.
 */
export function deliveryGuard(source: SourceRow, zonesVersion: number | null): SQL<number | null> {
	return sql<number | null>`(SELECT ${sources.id} FROM ${sources} WHERE ${sources.id} = ${source.id} AND ${sources.active} = 1
		AND ${sources.secretEnc} = ${source.secretEnc} AND ${sources.previousExpiresAt} IS ${source.previousExpiresAt?.getTime() ?? null}
		AND (SELECT max(${zones.id}) FROM ${zones}) IS ${zonesVersion})`;
}

interface NewDelivery {
	guard: SQL<number | null>;
	webhookId: string;
	bodySha256: string;
	now: Date;
}

/**
 * The delivery row, written as the last statement of its message's own D1 batch. The batch is
 * atomic, so the webhook-id is taken exactly when the incidents are written: a concurrent copy
 * of the message fails on the unique (source_id, webhook_id) index, its batch rolls back, and it
 * finds this row, complete, to answer from. There is never a half-written delivery to wait for.
 */
export function deliveryStatement(db: Db, d: NewDelivery, status: number, response: unknown) {
	return db
		.insert(deliveries)
		.values({ sourceId: d.guard, webhookId: d.webhookId, bodySha256: d.bodySha256, status, response, createdAt: d.now })
		.returning({ response: deliveries.response });
}

/**
 * The delivery row of a report, its answer computed by SQL from the rows the batch has just
 * written: every id in the message's order, and as duplicates the rows that existed before
 * (reported_at is not `now`, as the upsert keeps the first report's time). RETURNING hands the
 * stored answer back. CROSS JOIN pins the loop order (SQLite never reorders it): one unique-index
 * probe per id, never a walk over all of the source's incidents.
 */
export function reportDeliveryStatement(db: Db, d: NewDelivery, sourceId: number, externalIds: readonly string[]) {
	const answer = sql`(
		SELECT json_object('accepted', count(*), 'duplicates', coalesce(sum(w.reported_at <> ${d.now.getTime()}), 0), 'ids', json_group_array(w.id))
		FROM (
			SELECT i.id, i.reported_at FROM json_each(${JSON.stringify(externalIds)}) AS j
			CROSS JOIN ${incidents} AS i ON i.source_id = ${sourceId} AND i.external_id = j.value
			ORDER BY j.key
		) AS w
	)`;
	return deliveryStatement(db, d, 202, answer);
}

/**
 * After a message's batch failed: the delivery row if the webhook-id is taken (a copy won, or the
 * batch committed before the connection dropped), and whether the guard still holds. One round trip.
 */
export async function afterFailedWrite(db: Db, sourceId: number, webhookId: string, guard: SQL<number | null>) {
	// Plain selects: drizzle's relational findFirst cannot map an empty result inside a batch.
	const [[existing], [check]] = await db.batch([
		db
			.select()
			.from(deliveries)
			.where(and(eq(deliveries.sourceId, sourceId), eq(deliveries.webhookId, webhookId)))
			.limit(1),
		db.select({ ok: guard }).from(sql`(SELECT 1)`),
	]);
	return { existing: existing ?? null, guardHolds: check?.ok !== null && check?.ok !== undefined };
}

/** Frees a webhook-id held by a legacy claim (compare-and-set: only if it is still that claim). */
export async function dropLegacyClaim(db: Db, row: DeliveryRow): Promise<boolean> {
	const gone = await db
		.delete(deliveries)
		.where(and(eq(deliveries.id, row.id), eq(deliveries.status, LEGACY_IN_PROGRESS)))
		.returning({ id: deliveries.id });
	return gone.length === 1;
}

/** Forgets delivery keys older than the retention (7 days); returns how many. For the sweep cron. */
export async function pruneDeliveries(db: Db, now: Date): Promise<number> {
	const result = await db
		.delete(deliveries)
		.where(lt(deliveries.createdAt, new Date(now.getTime() - DELIVERY_RETENTION_MS)))
		.run();
	return result.meta.changes;
}
