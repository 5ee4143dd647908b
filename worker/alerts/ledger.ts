/** The alert ledger: enqueue with a unique dedupe key, claim with a lease, mark sent or back off. */
import { and, asc, count, eq, gt, inArray, isNull, lte, max, or, sql } from "drizzle-orm";
import type { AlertRules } from "../config/alert-rules";
import type { Db } from "../db/client";
import { jsonArrays, jsonRowsOf } from "../db/json-rows";
import { type AlertRow, alertAcks, alerts } from "../db/schema";
import { byIdAfter, paginateById } from "../http/pagination";
import { dedupeKey } from "./keys";
import type { AlertQueryInput } from "./schema";

/** How long a claim holds a row; a run that dies mid-send releases it when this runs out. */
export const LEASE_MS = 5 * 60_000;

export type NewAlert = Pick<AlertRow, "kind" | "milestoneId" | "zoneId" | "offset" | "dueAt" | "subscriberId" | "recipient"> &
	Partial<Pick<AlertRow, "channelId">>;

/** What one sending pass did: emails and channel messages sent, ledger rows they carried, rows left to retry or given up. */
export interface SendCounts {
	emails: number;
	messages: number;
	sent: number;
	retrying: number;
	failed: number;
	/** Rows left pending for the next run: the run's D1 round trips would not cover their sends. */
	deferred: number;
}

const alertRows = jsonRowsOf(alerts);

/**
 * Insert statements (for a caller's batch) that add each alert unless its key exists: the rows as
 * JSON parameters (db/json-rows.ts), so that a milestone crossed for a thousand recipients is one
 * statement rather than a thousand, and a run's D1 round trips stay few.
 */
export function enqueueStatements(db: Db, items: readonly NewAlert[], now: Date) {
	const rows = items.map((a) => {
		const row: Record<keyof AlertRow, unknown> = {
			id: null,
			kind: a.kind,
			milestoneId: a.milestoneId,
			zoneId: a.zoneId,
			offset: a.offset,
			dueAt: a.dueAt,
			subscriberId: a.subscriberId,
			channelId: a.channelId ?? null,
			recipient: a.recipient,
			dedupeKey: dedupeKey({ ...a, dueAt: a.dueAt?.getTime() ?? null }),
			status: "pending",
			attempts: 0,
			nextAttemptAt: now,
			leaseUntil: null,
			lastError: null,
			messageId: null,
			createdAt: now,
			sentAt: null,
		};
		return alertRows.encode(row);
	});
	return jsonArrays(rows).map((json) => db.insert(alerts).select(alertRows.select(json)).onConflictDoNothing({ target: alerts.dedupeKey }));
}

/** Pending rows whose turn has come and that no live run holds, oldest first. */
export function duePending(db: Db, now: Date, limit: number): Promise<AlertRow[]> {
	return db
		.select()
		.from(alerts)
		.where(and(eq(alerts.status, "pending"), lte(alerts.nextAttemptAt, now), or(isNull(alerts.leaseUntil), lte(alerts.leaseUntil, now))))
		.orderBy(asc(alerts.nextAttemptAt), asc(alerts.id))
		.limit(limit);
}

/**
 * Compare-and-set claim: takes the rows still pending and unleased, counts the attempt, and
 * returns only those this run won. Two runs racing for a row: exactly one gets it.
 */
export async function claim(db: Db, ids: readonly number[], now: Date): Promise<{ rows: AlertRow[]; leaseUntil: Date }> {
	const leaseUntil = new Date(now.getTime() + LEASE_MS);
	if (ids.length === 0) return { rows: [], leaseUntil };
	const rows = await db
		.update(alerts)
		.set({ leaseUntil, attempts: sql`${alerts.attempts} + 1` })
		.where(and(inArray(alerts.id, [...ids]), eq(alerts.status, "pending"), or(isNull(alerts.leaseUntil), lte(alerts.leaseUntil, now))))
		.returning();
	return { rows, leaseUntil };
}

/** Rows still held by the run whose claim set `leaseUntil`: a run whose lease ran out changes nothing. */
const held = (rows: readonly AlertRow[], leaseUntil: Date) =>
	and(
		inArray(
			alerts.id,
			rows.map((r) => r.id),
		),
		eq(alerts.status, "pending"),
		eq(alerts.leaseUntil, leaseUntil),
	);

/** Marks claimed rows sent with the provider's message id (null when the receiver gives none); a statement for a batch. */
export function markSent(db: Db, rows: readonly AlertRow[], leaseUntil: Date, messageId: string | null, now: Date) {
	return db.update(alerts).set({ status: "sent", messageId, sentAt: now, leaseUntil: null, lastError: null }).where(held(rows, leaseUntil));
}

/** Deletes claimed rows that must not be sent (their recipient left, or nothing true is left to say). */
export function dropClaimed(db: Db, rows: readonly AlertRow[], leaseUntil: Date) {
	return db.delete(alerts).where(held(rows, leaseUntil));
}

/**
 * Gives up claimed rows at once, without retrying: their recipient is suppressed. They are
 * `failed`, with the reason in last_error, like rows whose attempts ran out.
 */
export function giveUp(db: Db, rows: readonly AlertRow[], leaseUntil: Date, error: string, now: Date) {
	return db
		.update(alerts)
		.set({ status: "failed", leaseUntil: null, lastError: error.slice(0, 500), nextAttemptAt: now })
		.where(held(rows, leaseUntil));
}

/**
 * A failed send: back off and stay pending, or give up after the last attempt. A receiver that
 * said when to come back (`retryAfterMs`, from Retry-After) is not asked sooner than that.
 */
export async function markFailed(
	db: Db,
	rows: readonly AlertRow[],
	leaseUntil: Date,
	error: string,
	rules: AlertRules,
	now: Date,
	retryAfterMs: number | null = null,
): Promise<number> {
	let failed = 0;
	const statements = rows.map((r) => {
		const giveUp = r.attempts >= rules.maxAttempts;
		if (giveUp) failed++;
		return db
			.update(alerts)
			.set({
				status: giveUp ? "failed" : "pending",
				leaseUntil: null,
				lastError: error.slice(0, 500),
				nextAttemptAt: new Date(now.getTime() + Math.max(backoffDelay(r.attempts, rules.backoffMs), retryAfterMs ?? 0)),
			})
			.where(held([r], leaseUntil));
	});
	const [first, ...rest] = statements;
	if (first) await db.batch([first, ...rest]);
	return failed;
}

/** GET /api/alerts: the ledger newest first, filtered, with a keyset cursor on id. */
export async function listAlerts(db: Db, q: AlertQueryInput) {
	const { after, orderBy } = byIdAfter(alerts.id, q.cursor, "desc");
	const rows = await db
		.select({ alert: alerts, ack: alertAcks })
		.from(alerts)
		// The acknowledgement of an overdue alert's due date (one at most: unique per milestone and due_at).
		.leftJoin(alertAcks, and(eq(alerts.kind, "overdue"), eq(alertAcks.milestoneId, alerts.milestoneId), eq(alertAcks.dueAt, alerts.dueAt)))
		.where(
			and(
				q.status ? eq(alerts.status, q.status) : undefined,
				q.kind ? eq(alerts.kind, q.kind) : undefined,
				q.milestone ? eq(alerts.milestoneId, q.milestone) : undefined,
				q.recipient ? eq(alerts.recipient, q.recipient.toLowerCase()) : undefined,
				after,
			),
		)
		.orderBy(orderBy)
		.limit(q.limit + 1);
	return paginateById(
		rows.map((r) => ({ id: r.alert.id, ...r })),
		q.limit,
	);
}

/** Failed alerts count against /status for this long; /api/alerts?status=failed keeps them all. */
export const FAILED_WINDOW_MS = 7 * 86_400_000;

/**
 * The alert queue for /status: pending, failed in the last 7 days (so one give-up does not leave
 * the status degraded forever), and when mail last went out. Indexed lookups only.
 */
export async function alertQueueStats(db: Db, now: Date): Promise<{ pending: number; failed: number; last_sent_at: string | null }> {
	const [[pending], [failed], [last]] = await Promise.all([
		db.select({ n: count() }).from(alerts).where(eq(alerts.status, "pending")),
		// A failed row's next_attempt_at is when it was given up (plus one backoff).
		db
			.select({ n: count() })
			.from(alerts)
			.where(and(eq(alerts.status, "failed"), gt(alerts.nextAttemptAt, new Date(now.getTime() - FAILED_WINDOW_MS)))),
		db.select({ at: max(alerts.sentAt) }).from(alerts),
	]);
	return { pending: pending?.n ?? 0, failed: failed?.n ?? 0, last_sent_at: last?.at ? last.at.toISOString() : null };
}

/** Retries never wait longer than this, however many attempts failed. */
const MAX_BACKOFF_MS = 6 * 3_600_000;

/** Delay before retry number `attempts` (1 = after the first failure): base * 2^(attempts-1), capped. */
function backoffDelay(attempts: number, baseMs: number): number {
	return Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.max(0, attempts - 1));
}
