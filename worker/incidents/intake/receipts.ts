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
 * The incidents a report names that exist, in the message's order. CROSS JOIN pins the loop order
 * (SQLite never reorders it): one unique-index probe per id, never a walk over all of the source's incidents.
 */
const named = sql`SELECT i.id FROM json_each(${sql.placeholder("externalIds")}) AS j
	CROSS JOIN ${incidents} AS i ON i.source_id = ${sql.placeholder("sourceId")} AND i.external_id = j.value
	ORDER BY j.key`;

/**
 * A report's receipt goes first in its batch, so its answer counts as duplicates the named incidents
 * that exist before the upserts (in the same transaction: however many copies race, exactly the
 * rows that existed). The ids are filled in by `reportIds`, last.
 */
const reportReceipt = receiptInsert<"externalIds" | "accepted">(
	sql`json_object('accepted', ${sql.placeholder("accepted")}, 'duplicates', (SELECT count(*) FROM (${named})), 'ids', json_array())`,
);

/** The last statement of a report's batch: the receipt's ids, of the rows the upserts have just written, handed back. */
const reportIds = new Compiled<"sourceId" | "webhookId" | "externalIds">((db) =>
	db
		.update(receipts)
		.set({ response: sql`json_set(${receipts.response}, '$.ids', json((SELECT json_group_array(w.id) FROM (${named}) AS w)))` })
		.where(and(eq(receipts.sourceId, sql.placeholder("sourceId")), eq(receipts.webhookId, sql.placeholder("webhookId"))))
		.returning({ response: receipts.response }),
);

/** A report's receipt (first in its batch) and the statement that completes its answer (last). */
export function reportReceiptStatements(db: Db, r: NewReceipt, externalIds: readonly string[]): { first: D1PreparedStatement; last: D1PreparedStatement } {
	const ids = JSON.stringify(externalIds);
	return {
		first: reportReceipt.bind(db, { ...receiptValues(r), externalIds: ids, accepted: externalIds.length }),
		last: reportIds.bind(db, { sourceId: r.guard.sourceId, webhookId: r.webhookId, externalIds: ids }),
	};
}

/** The completing statement's SQL and parameters, for a test of its query plan. */
export function reportIdsSQL(db: Db, r: NewReceipt, externalIds: readonly string[]) {
	return reportIds.toSQL(db, { sourceId: r.guard.sourceId, webhookId: r.webhookId, externalIds: JSON.stringify(externalIds) });
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
