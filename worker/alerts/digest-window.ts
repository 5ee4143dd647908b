/**
 * The digest window, read when a digest is planned (is there anything new?) and when it is sent
 * (what is new): (the subscriber's last digest, the digest's due_at], over the incidents that
 * count in the subscriber's zones.
 */
import { and, gt, inArray, lte, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { jsonArrays } from "../db/json-rows";
import { incidents, type SubscriberRow, zones } from "../db/schema";
import { countable } from "../incidents";

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export interface DigestWindow {
	since: Date;
	until: Date;
}

/** A digest planned at `now` is due on the hour: overlapping runs of one firing make the same dedupe key. */
export function digestDueAt(now: Date): Date {
	return new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS);
}

/** The window of a digest due at `until` for this subscriber; a first digest looks back one day. */
export function digestWindow(subscriber: Pick<SubscriberRow, "lastDigestAt">, until: Date): DigestWindow {
	return { since: subscriber.lastDigestAt ?? new Date(until.getTime() - DAY_MS), until };
}

/** Incidents reported in the window that count and lie in the subscriber's zones (for a query joined with zones). */
export function inDigest(window: DigestWindow, subscriber: Pick<SubscriberRow, "zones">): SQL | undefined {
	const zoneFilter = subscriber.zones.length > 0 ? inArray(zones.slug, subscriber.zones) : undefined;
	return and(gt(incidents.reportedAt, window.since), lte(incidents.reportedAt, window.until), countable(), zoneFilter);
}

/**
 * Which of `subscribers` have something new for a digest due at `until`: `inDigest` for them all at
 * once, their windows and zones as one JSON parameter, so that planning the daily digest costs a
 * few D1 round trips however many subscribers take it (a test holds it to `inDigest`).
 */
export async function withNews(db: Db, subscribers: readonly Pick<SubscriberRow, "id" | "lastDigestAt" | "zones">[], until: Date): Promise<Set<number>> {
	// A window that is empty (a digest already sent for it) asks nothing of D1; no subscribers, no query.
	const rows = subscribers.flatMap((s) => {
		const since = digestWindow(s, until).since.getTime();
		return since < until.getTime() ? [JSON.stringify([s.id, since, s.zones])] : [];
	});
	const found = new Set<number>();
	for (const json of jsonArrays(rows)) {
		const hits = await db.all<{ id: number }>(sql`
			SELECT j.value ->> 0 AS id FROM json_each(${json}) AS j
			WHERE EXISTS (
				SELECT 1 FROM ${incidents} LEFT JOIN ${zones} ON ${zones.id} = ${incidents.zoneId}
				WHERE ${incidents.reportedAt} > j.value ->> 1 AND ${incidents.reportedAt} <= ${until.getTime()} AND ${countable()}
					AND (json_array_length(j.value -> 2) = 0 OR ${zones.slug} IN (SELECT value FROM json_each(j.value -> 2)))
			)`);
		for (const { id } of hits) found.add(Number(id));
	}
	return found;
}
