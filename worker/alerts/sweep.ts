/**
 * The sweep, every minute: plan what milestones (found by the indexed next_check_at) and surging
 * zones need, write it to the ledger under unique dedupe keys, then send what is pending. A run
 * with nothing due stops after one query (sweepIdle).
 */
import { and, asc, eq, inArray, isNotNull, lte, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { pruneCronRuns } from "../cron/history";
import type { JobContext, JobCounts } from "../cron/jobs";
import type { Db } from "../db/client";
import { tidyHourly } from "../db/hourly";
import { alerts, milestones, zones } from "../db/schema";
import { pruneIncidents, pruneIngestFailures, pruneReceipts, retentionBacklog } from "../incidents";
import { activeSubscribers, pruneEmailEvents, pruneOptIns, wantsMilestone, wantsZone } from "../subscribers";
import { finishBackfills, SWEEP_BACKFILL_PAGES } from "../zones";
import { acksOf } from "./acks";
import { activeChannels } from "./channels/queries";
import { channelRecipient } from "./channels/send";
import { ackKey, alertKey } from "./keys";
import { enqueueStatements, type NewAlert } from "./ledger";
import { type LedgerState, planAlerts, type SilenceRule } from "./planner";
import { sendPending } from "./send";
import { activeSilences } from "./silences";
import { recentSurgeZones, SURGE_WINDOW_MS, surgingZones, zoneCounts } from "./surge";

/** Whom alerts go to: a subscriber's address or a channel, and what each follows. */
interface Recipient {
	subscriberId: number | null;
	channelId: number | null;
	recipient: string;
	tags: string[];
	zones: string[];
}

/** Everyone who gets alerts now: active subscribers and active channels, one list for the planner. */
async function activeRecipients(db: Db): Promise<Recipient[]> {
	const [subs, chans] = await Promise.all([activeSubscribers(db), activeChannels(db)]);
	return [
		...subs.map((s) => ({ subscriberId: s.id, channelId: null, recipient: s.email, tags: s.tags, zones: s.zones })),
		...chans.map((c) => ({ subscriberId: null, channelId: c.id, recipient: channelRecipient(c.id), tags: c.tags, zones: c.zones })),
	];
}

/** Milestones per chunk: keeps every IN (...) under D1's 100 bound parameters. */
const CHUNK = 50;
/** Chunks per run: a bound on work even if something keeps a milestone due. */
const MAX_CHUNKS = 20;
/** Statements per D1 batch. */
const BATCH = 50;
/**
 * Planning takes milestones while the run has used less than this share of its D1 round trips
 * (db/budget.ts): the rest is for sending what is due, and what follows.
 */
const PLANNING_SHARE = 0.5;

async function runBatches(db: Db, statements: BatchItem<"sqlite">[]): Promise<void> {
	for (let i = 0; i < statements.length; i += BATCH) {
		const [first, ...rest] = statements.slice(i, i + BATCH);
		if (first) await db.batch([first, ...rest]);
	}
}

const MINUTE_MS = 60_000;
/** Surges are a 7-day statistic: looked at by one run in ten, not every minute. */
export const SURGE_EVERY_MS = 10 * MINUTE_MS;
/** Webhook receipts, cron history and expired subscription requests are pruned by one run an hour. */
export const PRUNE_EVERY_MS = 60 * MINUTE_MS;

/** Whether the run at `now` is the one that opens a period (its first minute): the run that does that period's chore. */
export const opensPeriod = (now: Date, periodMs: number) => now.getTime() % periodMs < MINUTE_MS;

/**
 * The sweep's idle probe: nothing to do at `now` when no chore falls on this minute, no
 * milestone's next check has come, no pending alert's attempt is due, no zone backfill is pending
 * and, under a retention, no backlog of expired incidents waits. One query, on the next_check_at,
 * (status, next_attempt_at) and occurred_at indexes.
 */
export async function sweepIdle({ db, now, config }: JobContext): Promise<boolean> {
	if (opensPeriod(now, SURGE_EVERY_MS) || opensPeriod(now, PRUNE_EVERY_MS)) return false;
	const milestoneDue = db
		.select({ id: milestones.id })
		.from(milestones)
		.where(and(isNotNull(milestones.nextCheckAt), lte(milestones.nextCheckAt, now)))
		.limit(1);
	const alertDue = db
		.select({ id: alerts.id })
		.from(alerts)
		.where(and(eq(alerts.status, "pending"), lte(alerts.nextAttemptAt, now)))
		.limit(1);
	// A zone drawn or redrawn since has incidents left to place (zones are few: no index needed).
	const backfillDue = db.select({ id: zones.id }).from(zones).where(isNotNull(zones.backfillAfter)).limit(1);
	const due = [sql`EXISTS ${milestoneDue}`, sql`EXISTS ${alertDue}`, sql`EXISTS ${backfillDue}`];
	if (config.retainIncidentsMs !== null) due.push(retentionBacklog(db, config.retainIncidentsMs, now));
	const row = await db.get<{ due: number }>(sql`SELECT (${sql.join(due, sql` OR `)}) AS due`);
	return row.due === 0;
}

/** The milestones whose next check has come, by the next_check_at index (a test checks the plan). */
export function dueMilestones(db: Db, now: Date, limit: number) {
	return db
		.select()
		.from(milestones)
		.where(and(isNotNull(milestones.nextCheckAt), lte(milestones.nextCheckAt, now)))
		.orderBy(asc(milestones.nextCheckAt))
		.limit(limit);
}

/** What the ledger holds for these milestones, by milestone (distinct kind, due_at, offset), and their acknowledged due dates. */
async function ledgerFor(db: Db, ids: number[]): Promise<Map<number, LedgerState>> {
	const [rows, acks] = await Promise.all([
		db
			.selectDistinct({ milestoneId: alerts.milestoneId, kind: alerts.kind, dueAt: alerts.dueAt, offset: alerts.offset })
			.from(alerts)
			.where(inArray(alerts.milestoneId, ids)),
		acksOf(db, ids),
	]);
	const ledger = new Map<number, Set<string>>();
	for (const a of acks) ledger.set(a.milestoneId, (ledger.get(a.milestoneId) ?? new Set<string>()).add(ackKey(a.milestoneId, a.dueAt.getTime())));
	for (const r of rows) {
		if (r.milestoneId === null || r.dueAt === null) continue;
		const keys = ledger.get(r.milestoneId) ?? new Set<string>();
		keys.add(alertKey({ kind: r.kind, milestoneId: r.milestoneId, dueAt: r.dueAt.getTime(), offset: r.offset }));
		ledger.set(r.milestoneId, keys);
	}
	return ledger;
}

/** Plans milestone alerts chunk by chunk; each milestone's rows are written before its next_check_at moves. */
async function planMilestoneAlerts(ctx: JobContext, subs: Recipient[], silences: SilenceRule[]) {
	const { db, now } = ctx;
	let checked = 0;
	let planned = 0;
	let errors = 0;
	let full = false;
	for (let chunk = 0; chunk < MAX_CHUNKS && !full; chunk++) {
		const due = await dueMilestones(db, now, CHUNK);
		if (due.length === 0) break;
		const ledger = await ledgerFor(
			db,
			due.map((m) => m.id),
		);
		const statements: BatchItem<"sqlite">[] = [];
		for (const { milestone, alerts: plannedAlerts, nextCheckAt, error } of planAlerts(due, ledger, now, {
			reminderIntervalMs: ctx.config.alerts.reminderIntervalMs,
			outcomeReminderMs: ctx.config.alerts.outcomeReminderMs,
			silences,
		})) {
			const recipients = subs.filter((s) => wantsMilestone(s, milestone.tags));
			const rows: NewAlert[] = plannedAlerts.flatMap((a) =>
				recipients.map((s) => ({
					kind: a.kind,
					milestoneId: a.milestoneId,
					zoneId: null,
					offset: a.offset,
					dueAt: new Date(a.dueAt),
					subscriberId: s.subscriberId,
					channelId: s.channelId,
					recipient: s.recipient,
				})),
			);
			const mine: BatchItem<"sqlite">[] = [
				...enqueueStatements(db, rows, now),
				// Compare-and-set: an edit that re-armed the milestone meanwhile keeps its own value.
				db
					.update(milestones)
					.set({ nextCheckAt })
					.where(and(eq(milestones.id, milestone.id), eq(milestones.updatedAt, milestone.updatedAt))),
			];
			// The run's first milestone is always planned, so that a run that cannot fit two still moves on.
			if (checked > 0 && ctx.queries.used + Math.ceil((statements.length + mine.length) / BATCH) > ctx.queries.limit * PLANNING_SHARE) {
				full = true;
				break;
			}
			checked++;
			if (error) {
				errors++;
				console.error(`milestone ${milestone.id} could not be planned: ${error}`);
			}
			planned += rows.length;
			statements.push(...mine);
		}
		await runBatches(db, statements);
		if (due.length < CHUNK) break;
	}
	// Milestones left out keep their next check: the next run plans them.
	return { checked, planned, errors };
}

/** One surge alert per zone per 7 days to every recipient whose zone filter takes it, unless the zone is silenced. */
async function planSurgeAlerts(ctx: JobContext, subs: Recipient[], silences: SilenceRule[]): Promise<number> {
	const { db, now, config } = ctx;
	const [counts, recent] = await Promise.all([zoneCounts(db, now), recentSurgeZones(db, now)]);
	const muted = new Set(silences.flatMap((s) => (s.zoneId !== null ? [s.zoneId] : [])));
	const surging = surgingZones(counts, recent, config.alerts.surgeMultiple, config.alerts.surgeMinimum).filter((c) => !muted.has(c.zoneId));
	if (surging.length === 0) return 0;
	const zoneRows = await db
		.select({ id: zones.id, slug: zones.slug })
		.from(zones)
		.where(
			inArray(
				zones.id,
				surging.map((c) => c.zoneId),
			),
		);
	// Keyed by the 7-day bucket: two overlapping runs make the same key and one insert wins.
	const bucket = new Date(Math.floor(now.getTime() / SURGE_WINDOW_MS) * SURGE_WINDOW_MS);
	const rows: NewAlert[] = zoneRows.flatMap((z) =>
		subs
			.filter((s) => wantsZone(s, z.slug))
			.map((s) => ({
				kind: "surge" as const,
				milestoneId: null,
				zoneId: z.id,
				offset: null,
				dueAt: bucket,
				subscriberId: s.subscriberId,
				channelId: s.channelId,
				recipient: s.recipient,
			})),
	);
	await runBatches(db, enqueueStatements(db, rows, now));
	return rows.length;
}

/** The sweep job's body. */
export async function runSweep(ctx: JobContext): Promise<JobCounts> {
	const [subs, silences] = await Promise.all([activeRecipients(ctx.db), activeSilences(ctx.db, ctx.now)]);
	// Each phase runs even if an earlier one failed (what is already pending still goes out);
	// the first failure is rethrown at the end so cron_runs records it.
	const failures: unknown[] = [];
	const attempt = async <T>(phase: () => Promise<T>, fallback: T): Promise<T> => {
		try {
			return await phase();
		} catch (e) {
			failures.push(e);
			return fallback;
		}
	};
	// Zones drawn since the last run get their earlier incidents first, so surges count them.
	const backfill = await attempt(() => finishBackfills(ctx.db, SWEEP_BACKFILL_PAGES), { assigned: 0, pending: 0 });
	const milestoneCounts = await attempt(() => planMilestoneAlerts(ctx, subs, silences), { checked: 0, planned: 0, errors: 0 });
	const surges = opensPeriod(ctx.now, SURGE_EVERY_MS) ? await attempt(() => planSurgeAlerts(ctx, subs, silences), 0) : 0;
	const sending = await sendPending(ctx);
	// Webhook receipts are kept 7 days (replays within that window are recognised); cron runs as cron/history.ts says.
	const prune = opensPeriod(ctx.now, PRUNE_EVERY_MS);
	const receiptsPruned = prune ? await attempt(() => pruneReceipts(ctx.db, ctx.now), 0) : 0;
	const runsPruned = prune ? await attempt(() => pruneCronRuns(ctx.db, ctx.now), 0) : 0;
	// Retention runs on every full run, a bounded share each time (incidents/retention.ts).
	const keepMs = ctx.config.retainIncidentsMs;
	const incidentsDeleted = keepMs === null ? 0 : await attempt(() => pruneIncidents(ctx.db, keepMs, ctx.now), 0);
	// Buckets emptied by retractions, rejections, re-zoning and retention since the last hour: readers skip them meanwhile.
	const hourlyTidied = prune ? await attempt(() => tidyHourly(ctx.db), 0) : 0;
	const emailEventsPruned = prune ? await attempt(() => pruneEmailEvents(ctx.db, ctx.now), 0) : 0;
	// Queued webhooks never written are kept 90 days (incidents/intake/failures.ts).
	const ingestFailuresPruned = prune ? await attempt(() => pruneIngestFailures(ctx.db, ctx.now), 0) : 0;
	// Unconfirmed subscription requests live 7 days (subscribers/optin-rules.ts).
	const optInsExpired = prune ? await attempt(() => pruneOptIns(ctx.db, ctx.now), 0) : 0;
	if (failures.length > 0) throw failures[0];
	return {
		milestones_checked: milestoneCounts.checked,
		alerts_planned: milestoneCounts.planned,
		planning_errors: milestoneCounts.errors,
		surge_alerts_planned: surges,
		...sending,
		receipts_pruned: receiptsPruned,
		cron_runs_pruned: runsPruned,
		incidents_deleted: incidentsDeleted,
		hourly_buckets_tidied: hourlyTidied,
		email_events_pruned: emailEventsPruned,
		ingest_failures_pruned: ingestFailuresPruned,
		opt_ins_expired: optInsExpired,
		zone_incidents_assigned: backfill.assigned,
		zone_backfills_pending: backfill.pending,
	};
}
