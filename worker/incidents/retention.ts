/**
 * Retention (RETAIN_INCIDENTS_DAYS): incidents that occurred longer ago than the retention are
 * deleted by the sweep, and retracted or rejected reports (UNCOUNTED) once they are 90 days old,
 * or older than the retention if it is shorter. Age is occurred_at, the date a reader sees and
 * every count and chart is keyed on: a report of a three-year-old event received today is already
 * expired. A run deletes at most RETENTION_BATCHES batches of RETENTION_BATCH incidents, the
 * uncounted ones first, then the oldest; each batch takes its rows out of incident_hourly in the
 * same D1 transaction (db/hourly.ts), so the counts stay exact whenever anyone reads them.
 * Nothing refers to an incident by id (receipts keep the ids they answered only as text), so
 * nothing is left dangling.
 */
import { and, inArray, lt, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { keepingHourly } from "../db/hourly";
import { incidents, UNCOUNTED, UNCOUNTED_INDEX } from "../db/schema";

const DAY_MS = 86_400_000;
/** Retracted and rejected reports are kept this long (or the retention, if shorter). */
export const UNCOUNTED_KEEP_MS = 90 * DAY_MS;
/** Incidents per batch: one JSON parameter of ids, one D1 transaction of four statements. */
export const RETENTION_BATCH = 500;
/** Batches per sweep: a backlog is worked off at most this many batches a minute. */
export const RETENTION_BATCHES = 4;
/**
 * The idle probe wakes the sweep only for incidents expired longer than this; the next full run (at
 * the latest the hourly chore run) deletes the others, so a trickle of expiring incidents does not
 * wake every minute.
 */
export const RETENTION_SLACK_MS = 3_600_000;

/** Before which instants incidents are expired at `now`: every incident, and the uncounted ones. */
export interface Cutoffs {
	all: Date;
	uncounted: Date;
}

/** The cutoffs of a retention of `keepMs` at `now` (a pure rule). */
export function retentionCutoffs(keepMs: number, now: Date): Cutoffs {
	return { all: new Date(now.getTime() - keepMs), uncounted: new Date(now.getTime() - Math.min(keepMs, UNCOUNTED_KEEP_MS)) };
}

/** Whether an incident is expired: the same rule as SQL, for a statement that re-checks what it was told to delete. */
const expired = (c: Cutoffs): SQL => or(lt(incidents.occurredAt, c.all), and(UNCOUNTED, lt(incidents.occurredAt, c.uncounted))) as SQL;

/**
 * The oldest uncounted reports that occurred before `cutoff`, from the partial index of only them,
 * as a parenthesised subquery (as drizzle renders its own). Without INDEXED BY, SQLite reads them
 * from an occurred_at index of every incident (it cannot tell the partial index is the small one):
 * a walk through all the old counted ones.
 */
const oldestUncounted = (cutoff: Date, limit: number) =>
	sql`(SELECT id FROM incidents INDEXED BY ${sql.identifier(UNCOUNTED_INDEX)} WHERE ${UNCOUNTED} AND occurred_at < ${cutoff.getTime()} ORDER BY occurred_at LIMIT ${limit})`;

/** The oldest incidents that occurred before `cutoff`, from an occurred_at index (a subquery: drizzle renders it in parentheses). */
const oldest = (db: Db, cutoff: Date, limit: number) =>
	db.select({ id: incidents.id }).from(incidents).where(lt(incidents.occurredAt, cutoff)).orderBy(incidents.occurredAt).limit(limit);

/**
 * True in SQL when some incident is expired at `cutoffs`: two seeks, one at the start of an
 * occurred_at index and one at the start of the partial index of uncounted reports.
 */
function expiredExists(db: Db, cutoffs: Cutoffs): SQL {
	return sql`(EXISTS ${oldest(db, cutoffs.all, 1)} OR EXISTS ${oldestUncounted(cutoffs.uncounted, 1)})`;
}

/** For the sweep's idle probe: a backlog of incidents expired for longer than RETENTION_SLACK_MS. */
export function retentionBacklog(db: Db, keepMs: number, now: Date): SQL {
	return expiredExists(db, retentionCutoffs(keepMs, new Date(now.getTime() - RETENTION_SLACK_MS)));
}

/**
 * The next batch's candidates in one query: the oldest uncounted expired reports, then the oldest
 * expired incidents, each from its own index (a test reads the plan). Either part may name an id
 * the other does; the caller keeps the first RETENTION_BATCH distinct ones.
 */
export function expiredQuery(db: Db, cutoffs: Cutoffs): SQL {
	// SQLite wants a compound's ORDER BY and LIMIT per part inside a subquery; `pass` says which part a row is from.
	return sql`SELECT id, 0 AS pass FROM ${oldestUncounted(cutoffs.uncounted, RETENTION_BATCH)}
		UNION ALL SELECT id, 1 AS pass FROM ${oldest(db, cutoffs.all, RETENTION_BATCH)}`;
}

/** Deletes one batch of expired incidents; answers how many it found and how many it deleted. */
async function deleteBatch(db: Db, cutoffs: Cutoffs): Promise<{ found: number; deleted: number }> {
	const rows = await db.all<{ id: number; pass: number }>(expiredQuery(db, cutoffs));
	const ids = [...new Set(rows.sort((a, b) => a.pass - b.pass).map((r) => r.id))].slice(0, RETENTION_BATCH);
	if (ids.length === 0) return { found: 0, deleted: 0 };
	// Re-checked in the delete: a row re-sent since with a newer date is no longer expired, and stays
	// (its hourly counts are taken out and put back, as for any write).
	const remove = db.delete(incidents).where(and(inArray(incidents.id, sql`(SELECT value FROM json_each(${JSON.stringify(ids)}))`), expired(cutoffs)));
	const results = await db.$client.batch(keepingHourly(db, { ids }, [remove]));
	return { found: ids.length, deleted: results[1]?.meta.changes ?? 0 };
}

/**
 * The sweep's retention chore: deletes up to RETENTION_BATCHES batches of incidents expired at
 * `now` under a retention of `keepMs`, uncounted reports first; answers how many it deleted.
 */
export async function pruneIncidents(db: Db, keepMs: number, now: Date): Promise<number> {
	const cutoffs = retentionCutoffs(keepMs, now);
	let deleted = 0;
	for (let batch = 0; batch < RETENTION_BATCHES; batch++) {
		const done = await deleteBatch(db, cutoffs);
		deleted += done.deleted;
		if (done.found < RETENTION_BATCH) break;
	}
	return deleted;
}
