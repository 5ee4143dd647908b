import { and, eq, lt, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { Compiled } from "../../db/compiled";
import { deliveries, incidents, type SourceRow, sources, zones } from "../../db/schema";

/** Delivery keys (webhook-id) are remembered at least this long; the sweep prunes older ones. */
export const DELIVERY_RETENTION_MS = 7 * 86_400_000;

/** The snapshot a message was checked against: the values the delivery row's guard compares. */
export interface Snapshot {
	sourceId: number;
	secretEnc: string;
	previousExpiresAt: number | null;
	zonesVersion: number | null;
}

/** The snapshot of a source row as read, and of the zone set by its version. */
export const snapshotOf = (source: SourceRow, zonesVersion: number | null): Snapshot => ({
	sourceId: source.id,
	secretEnc: source.secretEnc,
	previousExpiresAt: source.previousExpiresAt?.getTime() ?? null,
	zonesVersion,
});

/** Binds the guard's placeholders. */
const guardValues = (s: Snapshot) => ({ sourceId: s.sourceId, secretEnc: s.secretEnc, previousExpiresAt: s.previousExpiresAt, zonesVersion: s.zonesVersion });

/**
 * What a delivery row is filed under, checked in the same statement that writes it: the source's
 * id if the source is still active with the secrets the message was verified against and the
 * zones are still the set the incidents were placed in, else NULL. deliveries.source_id is NOT
 * NULL, so a stale check fails the statement and with it the whole D1 batch: nothing is written
 * on the strength of a snapshot (intake-cache.ts) that no longer holds.
 */
const guard = sql<number | null>`(SELECT ${sources.id} FROM ${sources} WHERE ${sources.id} = ${sql.placeholder("sourceId")} AND ${sources.active} = 1
	AND ${sources.secretEnc} = ${sql.placeholder("secretEnc")} AND ${sources.previousExpiresAt} IS ${sql.placeholder("previousExpiresAt")}
	AND (SELECT max(${zones.id}) FROM ${zones}) IS ${sql.placeholder("zonesVersion")})`;

/** A placeholder bound as given (a bare one in `.values()` would go through the column's encoder). */
const raw = (name: string) => sql`${sql.placeholder(name)}`;

/** What a new delivery row records besides its answer. */
export interface NewDelivery {
	snapshot: Snapshot;
	webhookId: string;
	bodySha256: string;
	now: Date;
}

const deliveryValues = (d: NewDelivery) => ({ ...guardValues(d.snapshot), webhookId: d.webhookId, bodySha256: d.bodySha256, now: d.now.getTime() });
type DeliveryPlaceholder = keyof ReturnType<typeof deliveryValues>;

const plainDelivery = new Compiled<DeliveryPlaceholder | "response">((db) =>
	db.insert(deliveries).values({
		sourceId: guard,
		webhookId: raw("webhookId"),
		bodySha256: raw("bodySha256"),
		status: 202,
		response: raw("response"),
		createdAt: raw("now"),
	}),
);

/**
 * The delivery row of a retraction, written as the last statement of its message's own D1 batch.
 * The batch is atomic, so the webhook-id is taken exactly when the incidents are written: a
 * concurrent copy of the message fails on the unique (source_id, webhook_id) index, its batch
 * rolls back, and it finds this row, complete, to answer from. There is never a half-written
 * delivery to wait for.
 */
export function deliveryStatement(db: Db, d: NewDelivery, response: unknown): D1PreparedStatement {
	return plainDelivery.bind(db, { ...deliveryValues(d), response: JSON.stringify(response) });
}

const reportDelivery = new Compiled<DeliveryPlaceholder | "externalIds">((db) =>
	db
		.insert(deliveries)
		.values({
			sourceId: guard,
			webhookId: raw("webhookId"),
			bodySha256: raw("bodySha256"),
			status: 202,
			response: sql`(
					SELECT json_object('accepted', count(*), 'duplicates', coalesce(sum(w.reported_at <> ${sql.placeholder("now")}), 0), 'ids', json_group_array(w.id))
					FROM (
						SELECT i.id, i.reported_at FROM json_each(${sql.placeholder("externalIds")}) AS j
						CROSS JOIN ${incidents} AS i ON i.source_id = ${sql.placeholder("sourceId")} AND i.external_id = j.value
						ORDER BY j.key
					) AS w
				)`,
			createdAt: raw("now"),
		})
		.returning({ response: deliveries.response }),
);

/**
 * The delivery row of a report, likewise, its answer computed by SQL from the rows the batch has
 * just written: every id in the message's order, and as duplicates the rows that existed before
 * (reported_at is not `now`, as the upsert keeps the first report's time). RETURNING hands the
 * stored answer back. CROSS JOIN pins the loop order (SQLite never reorders it): one unique-index
 * probe per id, never a walk over all of the source's incidents.
 */
export function reportDeliveryStatement(db: Db, d: NewDelivery, externalIds: readonly string[]): D1PreparedStatement {
	return reportDelivery.bind(db, { ...deliveryValues(d), externalIds: JSON.stringify(externalIds) });
}

/** The same statement's SQL and parameters, for a test of its query plan. */
export function reportDeliverySQL(db: Db, d: NewDelivery, externalIds: readonly string[]) {
	return reportDelivery.toSQL(db, { ...deliveryValues(d), externalIds: JSON.stringify(externalIds) });
}

/** A delivery row as the receiver reads it back after a failed write. */
export interface StoredDelivery {
	id: number;
	status: number;
	bodySha256: string;
	response: unknown;
}

const storedDelivery = new Compiled<"sourceId" | "webhookId">((db) =>
	db
		.select({ id: deliveries.id, status: deliveries.status, bodySha256: sql`${deliveries.bodySha256}`.as("body_sha256"), response: deliveries.response })
		.from(deliveries)
		.where(and(eq(deliveries.sourceId, sql.placeholder("sourceId")), eq(deliveries.webhookId, sql.placeholder("webhookId")))),
);

const guardCheck = new Compiled<keyof ReturnType<typeof guardValues>>((db) => db.select({ ok: sql`${guard}`.as("ok") }).from(sql`(SELECT 1)`));

/**
 * After a message's batch failed: the delivery row if the webhook-id is taken (a copy won, or the
 * batch committed before the connection dropped), and whether the guard still holds. One round trip.
 */
export async function afterFailedWrite(db: Db, webhookId: string, snapshot: Snapshot) {
	const [found, check] = await db.$client.batch<Record<string, unknown>>([
		storedDelivery.bind(db, { sourceId: snapshot.sourceId, webhookId }),
		guardCheck.bind(db, guardValues(snapshot)),
	]);
	const row = found?.results[0] as { id: number; status: number; body_sha256: string; response: string } | undefined;
	const existing: StoredDelivery | null = row ? { id: row.id, status: row.status, bodySha256: row.body_sha256, response: JSON.parse(row.response) } : null;
	return { existing, guardHolds: check?.results[0]?.ok !== null && check?.results[0]?.ok !== undefined };
}

/** Forgets delivery keys older than the retention (7 days); returns how many. For the sweep cron. */
export async function pruneDeliveries(db: Db, now: Date): Promise<number> {
	const result = await db
		.delete(deliveries)
		.where(lt(deliveries.createdAt, new Date(now.getTime() - DELIVERY_RETENTION_MS)))
		.run();
	return result.meta.changes;
}
