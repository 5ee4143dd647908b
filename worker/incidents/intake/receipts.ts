import type { z } from "@hono/zod-openapi";
import { and, eq, lt, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { Compiled } from "../../db/compiled";
import { incidents, receipts } from "../../db/schema";
import type { WebhookAccepted } from "../schema";
import { type GuardValues, guard } from "./snapshot";

/**
 * A receipt is the last statement of its message's own D1 batch. The batch is atomic, so the
 * webhook-id is taken exactly when the incidents are written: a concurrent copy of the message
 * fails on the unique (source_id, webhook_id) index, its batch rolls back, and it finds this
 * receipt, complete, to answer from. There is never a half-written receipt to wait for.
 */

/** Receipts (webhook-ids) are kept at least this long; the sweep prunes older ones. */
export const RECEIPT_RETENTION_MS = 7 * 86_400_000;

/** What a message answers (202), stored in its receipt so that a replay gets the same. */
export type Accepted = z.infer<typeof WebhookAccepted>;

/** What a new receipt records besides its answer. */
export interface NewReceipt {
	/** The snapshot the message was checked against, as the receipt's guard compares it. */
	guard: GuardValues;
	webhookId: string;
	bodySha256: string;
	now: Date;
}

const receiptValues = (r: NewReceipt) => ({ ...r.guard, webhookId: r.webhookId, bodySha256: r.bodySha256, now: r.now.getTime() });
type ReceiptPlaceholder = keyof GuardValues | "webhookId" | "bodySha256" | "now";

/** A placeholder bound as given (a bare one in `.values()` would go through the column's encoder). */
const raw = (name: string) => sql`${sql.placeholder(name)}`;

/** An insert of a receipt filed under `guard`, answering `response`, which RETURNING hands back. */
const receiptInsert = <Name extends string>(response: SQL) =>
	new Compiled<ReceiptPlaceholder | Name>((db) =>
		db
			.insert(receipts)
			.values({ sourceId: guard, webhookId: raw("webhookId"), bodySha256: raw("bodySha256"), status: 202, response, createdAt: raw("now") })
			.returning({ response: receipts.response }),
	);

const givenAnswer = receiptInsert<"response">(raw("response"));

/** The receipt of a retraction, whose answer the receiver worked out before the batch. */
export function receiptStatement(db: Db, r: NewReceipt, answer: Accepted): D1PreparedStatement {
	return givenAnswer.bind(db, { ...receiptValues(r), response: JSON.stringify(answer) });
}

/**
 * The answer of a report, computed by SQL from the rows its batch has just written: every id in
 * the message's order, and as duplicates the rows that existed before (reported_at is not `now`,
 * as the upsert keeps the first report's time). CROSS JOIN pins the loop order (SQLite never
 * reorders it): one unique-index probe per id, never a walk over all of the source's incidents.
 */
const reportAnswer = receiptInsert<"externalIds">(sql`(
	SELECT json_object('accepted', count(*), 'duplicates', coalesce(sum(w.reported_at <> ${sql.placeholder("now")}), 0), 'ids', json_group_array(w.id))
	FROM (
		SELECT i.id, i.reported_at FROM json_each(${sql.placeholder("externalIds")}) AS j
		CROSS JOIN ${incidents} AS i ON i.source_id = ${sql.placeholder("sourceId")} AND i.external_id = j.value
		ORDER BY j.key
	) AS w
)`);

const reportValues = (r: NewReceipt, externalIds: readonly string[]) => ({ ...receiptValues(r), externalIds: JSON.stringify(externalIds) });

/** The receipt of a report, its answer derived in SQL from the upserts before it in the batch. */
export function reportReceiptStatement(db: Db, r: NewReceipt, externalIds: readonly string[]): D1PreparedStatement {
	return reportAnswer.bind(db, reportValues(r, externalIds));
}

/** The same statement's SQL and parameters, for a test of its query plan. */
export function reportReceiptSQL(db: Db, r: NewReceipt, externalIds: readonly string[]) {
	return reportAnswer.toSQL(db, reportValues(r, externalIds));
}

/** A receipt as the receiver reads it back after a failed batch. */
export interface StoredReceipt {
	bodySha256: string;
	response: Accepted;
}

const storedReceipt = new Compiled<"sourceId" | "webhookId">((db) =>
	db
		.select({ bodySha256: sql`${receipts.bodySha256}`.as("body_sha256"), response: receipts.response })
		.from(receipts)
		.where(and(eq(receipts.sourceId, sql.placeholder("sourceId")), eq(receipts.webhookId, sql.placeholder("webhookId")))),
);

const guardCheck = new Compiled<keyof GuardValues>((db) => db.select({ ok: sql`${guard}`.as("ok") }).from(sql`(SELECT 1)`));

/**
 * After a message's batch failed: its receipt if the webhook-id is taken (a copy won, or the batch
 * committed before the connection dropped), and whether the guard still holds. One round trip.
 */
export async function afterFailedWrite(db: Db, r: NewReceipt): Promise<{ stored: StoredReceipt | null; guardHolds: boolean }> {
	const [found, check] = await db.$client.batch<Record<string, unknown>>([
		storedReceipt.bind(db, { sourceId: r.guard.sourceId, webhookId: r.webhookId }),
		guardCheck.bind(db, r.guard),
	]);
	const row = found?.results[0] as { body_sha256: string; response: string } | undefined;
	const ok = check?.results[0]?.ok;
	return { stored: row ? { bodySha256: row.body_sha256, response: JSON.parse(row.response) } : null, guardHolds: ok !== null && ok !== undefined };
}

/** Forgets receipts older than the retention (7 days); returns how many. For the sweep cron. */
export async function pruneReceipts(db: Db, now: Date): Promise<number> {
	const result = await db
		.delete(receipts)
		.where(lt(receipts.createdAt, new Date(now.getTime() - RECEIPT_RETENTION_MS)))
		.run();
	return result.meta.changes;
}
