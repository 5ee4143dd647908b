import type { Db } from "./client";
import { type Buildable, statementOf } from "./compiled";

/**
 * incident_hourly holds, per zone (0: no zone) and UTC hour, how many incidents /status counts (not
 * retracted, not rejected) and how many of them are verified. No trigger keeps it: remote D1 cuts a
 * migration at every `;`, which no trigger body survives. Instead every write that can change what
 * it counts runs in one D1 batch between `before` and `after`: the rows the write touches are taken
 * out of their buckets before it and put back in after it (their new buckets). The batch is one
 * transaction, so the table is exact whenever anyone reads it, and the work is proportional to the
 * rows written, never to the size of a bucket. A bucket left at zero stays until the sweep's hourly
 * chore deletes it (`tidyHourly`): readers skip such rows, and a write's batch stays three statements.
 */

/** Which incidents a write touches: the same rows before and after it (their identity, not the columns it changes). */
export type Touched = { ids: readonly number[] } | ByExternalIds;
/** A source's incidents by external_id. */
export interface ByExternalIds {
	sourceId: number;
	externalIds: readonly string[];
}

/** floor(occurred_at / 3,600,000): SQLite's integer division truncates toward zero, so it rounds down before 1970 this way. */
const HOUR_OF_OCCURRED = "(occurred_at - ((occurred_at % 3600000) + 3600000) % 3600000) / 3600000";
/** The incidents /status counts. */
const COUNTED = "retracted_at IS NULL AND verification <> 'rejected'";

/** Adds (or, with "-", takes away) the counted rows of `where` to their buckets. */
const shift = (sign: "+" | "-", where: string) =>
	`INSERT INTO incident_hourly (zone_key, hour, n, verified)
	SELECT coalesce(zone_id, 0), ${HOUR_OF_OCCURRED}, ${sign}count(*), ${sign}sum(verification = 'verified')
	FROM incidents WHERE ${where} AND ${COUNTED}
	GROUP BY 1, 2
	ON CONFLICT (hour, zone_key) DO UPDATE SET n = n + excluded.n, verified = verified + excluded.verified`;

// The rows come as one JSON parameter however many there are (D1 binds at most 100 values); each
// form probes the primary key or the unique (source_id, external_id) index once per row.
const BY_IDS = "id IN (SELECT value FROM json_each(?1))";
const BY_EXTERNAL_IDS = "source_id = ?1 AND external_id IN (SELECT value FROM json_each(?2))";
const SQL = {
	ids: { before: shift("-", BY_IDS), after: shift("+", BY_IDS) },
	external: { before: shift("-", BY_EXTERNAL_IDS), after: shift("+", BY_EXTERNAL_IDS) },
};
/** Deletes emptied buckets: the partial index incident_hourly_empty holds exactly these rows, so this reads nothing else. */
export const TIDY_HOURLY = "DELETE FROM incident_hourly WHERE n = 0";

/** Deletes the buckets writes have emptied since the last call; returns how many. For the sweep's hourly chores. */
export async function tidyHourly(db: Db): Promise<number> {
	const result = await db.$client.prepare(TIDY_HOURLY).run();
	return result.meta.changes;
}

function bound(db: Db, which: Touched, when: "before" | "after"): D1PreparedStatement {
	if ("ids" in which) return db.$client.prepare(SQL.ids[when]).bind(JSON.stringify(which.ids));
	return db.$client.prepare(SQL.external[when]).bind(which.sourceId, JSON.stringify(which.externalIds));
}

/** The statements around a write of the `which` incidents: `before` goes first in its batch, `after` after the write. */
export function hourlyAround(db: Db, which: Touched): { before: D1PreparedStatement; after: D1PreparedStatement } {
	return { before: bound(db, which, "before"), after: bound(db, which, "after") };
}

/** `writes` in a batch that keeps incident_hourly exact (D1 statements, or drizzle queries made into them). */
export function keepingHourly(db: Db, which: Touched, writes: readonly (D1PreparedStatement | Buildable)[]): D1PreparedStatement[] {
	const { before, after } = hourlyAround(db, which);
	return [before, ...writes.map((w) => ("toSQL" in w ? statementOf(db, w) : w)), after];
}
