import { and, count, desc, eq, gte, inArray, lt, max } from "drizzle-orm";
import type { Db } from "../../db/client";
import { statementOf } from "../../db/compiled";
import { INGEST_FAILURE_KINDS, type IngestFailureRow, ingestFailures } from "../../db/schema";

/**
 * Queued messages that were answered 202 and never written: rejected against fresh data, or
 * dead-lettered after their retries. Each is one row per (source, webhook-id, kind), inserted in
 * the consumer's own D1 batch, so a redelivered batch records nothing twice.
 */

/** How far back /status counts them. */
export const FAILURE_WINDOW_MS = 7 * 86_400_000;
/**
 * How long they are kept: long enough to look into a sender's failures weeks later (the source's
 * page counts what is kept), and no longer, so that a sender whose queued messages keep failing
 * does not grow the table without end.
 */
export const FAILURE_RETENTION_MS = 90 * 86_400_000;

export type NewFailure = Omit<IngestFailureRow, "id">;

/** Records a failure, once per message and kind. */
export function failureStatement(db: Db, failure: NewFailure): D1PreparedStatement {
	return statementOf(db, db.insert(ingestFailures).values(failure).onConflictDoNothing());
}

/**
 * Records a dead-lettered message, unless its receipt exists: a last attempt whose D1 batch
 * committed before the connection dropped wrote the message, and it is not lost.
 */
export function deadLetterStatement(db: Db, f: NewFailure): D1PreparedStatement {
	return db.$client.prepare(DEAD_LETTER_SQL).bind(f.sourceId, f.webhookId, f.kind, f.reason, f.detail, f.receivedAt.getTime(), f.recordedAt.getTime());
}

// The upsert clause of an INSERT … SELECT needs the SELECT's WHERE, which NOT EXISTS provides.
const DEAD_LETTER_SQL = `INSERT INTO ingest_failures (source_id, webhook_id, kind, reason, detail, received_at, recorded_at)
	SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 WHERE NOT EXISTS (SELECT 1 FROM deliveries WHERE source_id = ?1 AND webhook_id = ?2)
	ON CONFLICT DO NOTHING`;

/** /status: queued messages rejected and dead-lettered in the last 7 days (two index range counts). */
export async function ingestFailureCounts(db: Db, now: Date): Promise<{ rejected: number; dead_lettered: number }> {
	const since = new Date(now.getTime() - FAILURE_WINDOW_MS);
	const countOf = (kind: IngestFailureRow["kind"]) =>
		db
			.select({ n: count() })
			.from(ingestFailures)
			.where(and(eq(ingestFailures.kind, kind), gte(ingestFailures.recordedAt, since)));
	const [[rejected], [dead]] = await Promise.all([countOf("rejected"), countOf("dead_lettered")]);
	return { rejected: rejected?.n ?? 0, dead_lettered: dead?.n ?? 0 };
}

/** What GET /api/sources/:id shows of a source's queued messages that were never written. */
export interface SourceIngestFailures {
	rejected: number;
	dead_lettered: number;
	last_failure: { webhook_id: string; kind: IngestFailureRow["kind"]; reason: string; detail: string; received_at: string; at: string } | null;
}

/** A source's failures kept (the last 90 days), and the latest one. */
export async function sourceIngestFailures(db: Db, sourceId: number): Promise<SourceIngestFailures> {
	const [counts, [last]] = await Promise.all([
		db
			.select({ kind: ingestFailures.kind, n: count(), at: max(ingestFailures.recordedAt) })
			.from(ingestFailures)
			.where(eq(ingestFailures.sourceId, sourceId))
			.groupBy(ingestFailures.kind),
		db.select().from(ingestFailures).where(eq(ingestFailures.sourceId, sourceId)).orderBy(desc(ingestFailures.recordedAt), desc(ingestFailures.id)).limit(1),
	]);
	const n = (kind: IngestFailureRow["kind"]) => counts.find((c) => c.kind === kind)?.n ?? 0;
	return {
		rejected: n("rejected"),
		dead_lettered: n("dead_lettered"),
		last_failure: last
			? {
					webhook_id: last.webhookId,
					kind: last.kind,
					reason: last.reason,
					detail: last.detail,
					received_at: last.receivedAt.toISOString(),
					at: last.recordedAt.toISOString(),
				}
			: null,
	};
}

/** The failures recorded longer ago than the retention. Naming every kind lets SQLite walk the (kind, recorded_at) index. */
const expired = (db: Db, now: Date) =>
	db
		.delete(ingestFailures)
		.where(and(inArray(ingestFailures.kind, [...INGEST_FAILURE_KINDS]), lt(ingestFailures.recordedAt, new Date(now.getTime() - FAILURE_RETENTION_MS))));

/** Forgets failures older than the retention (90 days); returns how many. For the sweep's hourly chores. */
export async function pruneIngestFailures(db: Db, now: Date): Promise<number> {
	const result = await expired(db, now).run();
	return result.meta.changes;
}

/** The pruning's SQL and parameters, for a test of its query plan. */
export const pruneIngestFailuresSQL = (db: Db, now: Date) => expired(db, now).toSQL();
