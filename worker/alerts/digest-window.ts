/**
 * The digest window, read when a digest is planned (is there anything new?) and when it is sent
 * (what is new): (the subscriber's last digest, the digest's due_at], over the incidents that
 * count in the subscriber's zones.
 */
import { and, gt, inArray, lte, type SQL } from "drizzle-orm";
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
