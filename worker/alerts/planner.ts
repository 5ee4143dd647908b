/**
 * Alert planning: a pure function of (milestones, ledger, now). No bindings, no clock.
 *
 * A milestone's timeline is a list of thresholds: one per alert offset `o` at `due_at - o`
 * (kind `deadline`), `overdue` at `due_at` itself (a zero offset is the same moment and is folded
 * into it), then reminders at `due_at + k * interval`. At `now` only the LATEST crossed threshold
 * may be planned, and only if the ledger does not have it yet: after downtime a run says "1 day
 * left", never "30 days left". A slip (slip_count > 0, nothing in the ledger for the current
 * due_at) plans one `slip` notice; since keys carry `due_at`, the new date re-arms every offset.
 * An acknowledged due date (ackKey in the ledger state) gets no overdue notice or reminder, and
 * nothing more to wait for until the milestone changes.
 */
import { formatDuration, parseDuration } from "../time/duration";
import { ackKey, alertKey } from "./keys";

export type PlannedKind = "deadline" | "overdue" | "slip";

/** The parts of a milestone row the planner reads. */
export interface PlannerMilestone {
	id: number;
	status: "scheduled" | "met" | "missed" | "cancelled";
	dueAt: Date;
	alertOffsets: readonly string[];
	slipCount: number;
	tags: readonly string[];
}

/** What the ledger already holds for one milestone, as alertKey() strings (any recipient), and ackKey() for its acknowledged due dates. */
export type LedgerState = ReadonlySet<string>;

export const EMPTY_LEDGER: LedgerState = new Set();

/** A mute: by milestone id, by tag, or (for surges) by zone id, until an instant. */
export interface SilenceRule {
	milestoneId: number | null;
	tag: string | null;
	zoneId: number | null;
	until: Date;
}

export interface PlannedAlert {
	milestoneId: number;
	kind: PlannedKind;
	/** due_at snapshot: part of the dedupe key, so a slip makes new keys. */
	dueAt: number;
	/** ISO 8601 offset before due_at ("P7D"); "PT0S" for overdue; "-P14D" for a reminder 14 days after; null for a slip. */
	offset: string | null;
}

export interface Threshold {
	at: number;
	kind: "deadline" | "overdue";
	offset: string;
}

export interface PlanOptions {
	/** 0 turns reminders off. */
	reminderIntervalMs: number;
	silences?: readonly SilenceRule[];
}

/** The deadline thresholds (zero offsets excluded: overdue covers them), earliest first. */
function offsetThresholds(m: PlannerMilestone): Threshold[] {
	const due = m.dueAt.getTime();
	return m.alertOffsets
		.map((offset) => ({ offset, ms: parseDuration(offset) }))
		.filter((o) => o.ms > 0)
		.map((o) => ({ at: due - o.ms, kind: "deadline" as const, offset: o.offset }))
		.sort((a, b) => a.at - b.at);
}

function reminder(due: number, k: number, interval: number): Threshold {
	return { at: due + k * interval, kind: "overdue", offset: `-${formatDuration(k * interval)}` };
}

/** The latest threshold at or before `now`, or null when none is crossed yet. */
export function latestCrossed(m: PlannerMilestone, now: number, reminderIntervalMs: number): Threshold | null {
	const due = m.dueAt.getTime();
	if (now >= due) {
		const k = reminderIntervalMs > 0 ? Math.floor((now - due) / reminderIntervalMs) : 0;
		return k >= 1 ? reminder(due, k, reminderIntervalMs) : { at: due, kind: "overdue", offset: "PT0S" };
	}
	return (
		offsetThresholds(m)
			.filter((t) => t.at <= now)
			.at(-1) ?? null
	);
}

/** The first threshold strictly after `now`, or null when none is left. */
export function nextThreshold(m: PlannerMilestone, now: number, reminderIntervalMs: number): Threshold | null {
	const due = m.dueAt.getTime();
	if (now < due) return offsetThresholds(m).find((t) => t.at > now) ?? { at: due, kind: "overdue", offset: "PT0S" };
	if (reminderIntervalMs <= 0) return null;
	return reminder(due, Math.floor((now - due) / reminderIntervalMs) + 1, reminderIntervalMs);
}

/** When a silence covering this milestone ends (the latest of them), or null when none is active. */
export function silencedUntil(m: PlannerMilestone, silences: readonly SilenceRule[], now: number): number | null {
	let until: number | null = null;
	for (const s of silences) {
		if (s.until.getTime() <= now) continue;
		const covers = s.milestoneId === m.id || (s.tag !== null && m.tags.includes(s.tag));
		if (covers) until = Math.max(until ?? 0, s.until.getTime());
	}
	return until;
}

/** What one milestone needs at `now`: alerts to plan and when to look at it again. */
export function planMilestone(m: PlannerMilestone, ledger: LedgerState, now: Date, options: PlanOptions): { alerts: PlannedAlert[]; nextCheckAt: Date | null } {
	if (m.status !== "scheduled") return { alerts: [], nextCheckAt: null };
	const t = now.getTime();
	// A silence defers planning (like Alertmanager): what is still crossed when it ends is sent then.
	const until = silencedUntil(m, options.silences ?? [], t);
	if (until !== null) return { alerts: [], nextCheckAt: new Date(until) };
	const due = m.dueAt.getTime();
	const alerts: PlannedAlert[] = [];
	const slip: PlannedAlert = { milestoneId: m.id, kind: "slip", dueAt: due, offset: null };
	if (m.slipCount > 0 && !ledger.has(alertKey(slip))) alerts.push(slip);
	const acked = ledger.has(ackKey(m.id, due));
	const crossed = latestCrossed(m, t, options.reminderIntervalMs);
	if (crossed && !(acked && crossed.kind === "overdue")) {
		const alert: PlannedAlert = { milestoneId: m.id, kind: crossed.kind, dueAt: due, offset: crossed.offset };
		if (!ledger.has(alertKey(alert))) alerts.push(alert);
	}
	const next = acked && t >= due ? null : nextThreshold(m, t, options.reminderIntervalMs);
	return { alerts, nextCheckAt: next ? new Date(next.at) : null };
}

/** A milestone the planner cannot read (say, a corrupt offset) is looked at again this much later. */
export const BAD_ROW_RETRY_MS = 3_600_000;

/**
 * Plans every milestone given; `ledger` maps milestone id to what its ledger holds. One bad row
 * never stops the others: it plans nothing, carries its error, and is looked at again later.
 */
export function planAlerts<M extends PlannerMilestone>(milestones: readonly M[], ledger: ReadonlyMap<number, LedgerState>, now: Date, options: PlanOptions) {
	return milestones.map((m) => {
		try {
			return { milestone: m, ...planMilestone(m, ledger.get(m.id) ?? EMPTY_LEDGER, now, options), error: null };
		} catch (e) {
			const error = e instanceof Error ? e.message : String(e);
			return { milestone: m, alerts: [] as PlannedAlert[], nextCheckAt: new Date(now.getTime() + BAD_ROW_RETRY_MS), error };
		}
	});
}

/**
 * When the sweep must next look at a milestone: now if something crossed is not in the ledger,
 * else the next threshold; null when it is not scheduled. With an empty ledger the answer
 * never depends on the reminder interval, so milestone writes may call it without config.
 */
export function nextCheckAt(m: PlannerMilestone, ledger: LedgerState, now: Date, reminderIntervalMs = 0): Date | null {
	if (m.status !== "scheduled") return null;
	const t = now.getTime();
	const due = m.dueAt.getTime();
	if (m.slipCount > 0 && !ledger.has(alertKey({ kind: "slip", milestoneId: m.id, dueAt: due, offset: null }))) return now;
	const acked = ledger.has(ackKey(m.id, due));
	const crossed = latestCrossed(m, t, reminderIntervalMs);
	if (crossed && !(acked && crossed.kind === "overdue") && !ledger.has(alertKey({ kind: crossed.kind, milestoneId: m.id, dueAt: due, offset: crossed.offset })))
		return now;
	const next = acked && t >= due ? null : nextThreshold(m, t, reminderIntervalMs);
	return next ? new Date(next.at) : null;
}
