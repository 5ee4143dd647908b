/**
 * Alert planning: a pure function of (milestones, ledger, now). No bindings, no clock.
 *
 * A milestone's timeline is a list of thresholds: one per alert offset `o` at `due_at - o`
 * (kind `deadline`), `overdue` at `due_at` itself (a zero offset is the same moment and is folded
 * into it), then reminders at `due_at + k * interval`. An event is not overdue when its day comes:
 * its timeline ends with `event_day` at `due_at` (the start of its day in its time zone) and one
 * `outcome_reminder` at `due_at + outcome reminder`, and nothing after; recording an outcome ends
 * it. At `now` only the LATEST crossed threshold
 * may be planned, and only if the ledger does not have it yet: after downtime a run says "1 day
 * left", never "30 days left". A slip (slip_count > 0, nothing in the ledger for the current
 * due_at) plans one `slip` notice; since keys carry `due_at`, the new date re-arms every offset.
 * An acknowledged due date (ackKey in the ledger state) gets no overdue notice or reminder, and
 * nothing more to wait for until the milestone changes.
 */
import { formatDuration, parseDuration } from "../time/duration";
import { ackKey, alertKey } from "./keys";

export type PlannedKind = "deadline" | "overdue" | "slip" | "event_day" | "outcome_reminder";

/** The parts of a milestone row the planner reads. */
export interface PlannerMilestone {
	id: number;
	kind: "deadline" | "event";
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
	/** ISO 8601 offset before due_at ("P7D"); "PT0S" for overdue and an event's day; "-P14D" for a reminder 14 days after; null for a slip. */
	offset: string | null;
}

export interface Threshold {
	at: number;
	kind: Exclude<PlannedKind, "slip">;
	offset: string;
}

/** How long after due_at reminders come; 0 turns them off. */
export interface Reminders {
	/** A deadline still open past due: one reminder every interval. */
	reminderIntervalMs: number;
	/** An event with no outcome recorded: one reminder this long after its day began. */
	outcomeReminderMs: number;
}

export const NO_REMINDERS: Reminders = { reminderIntervalMs: 0, outcomeReminderMs: 0 };

export interface PlanOptions extends Reminders {
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

/** The threshold at due_at: a deadline is overdue, an event's day has come. */
const dueThreshold = (m: PlannerMilestone): Threshold => ({ at: m.dueAt.getTime(), kind: m.kind === "event" ? "event_day" : "overdue", offset: "PT0S" });

/** An event's single reminder that its outcome is not recorded, or null when turned off. */
function outcomeReminder(due: number, r: Reminders): Threshold | null {
	return r.outcomeReminderMs > 0 ? { at: due + r.outcomeReminderMs, kind: "outcome_reminder", offset: `-${formatDuration(r.outcomeReminderMs)}` } : null;
}

/** The latest threshold at or before `now`, or null when none is crossed yet. */
export function latestCrossed(m: PlannerMilestone, now: number, r: Reminders): Threshold | null {
	const due = m.dueAt.getTime();
	if (now >= due && m.kind === "event") {
		const outcome = outcomeReminder(due, r);
		return outcome && now >= outcome.at ? outcome : dueThreshold(m);
	}
	if (now >= due) {
		const k = r.reminderIntervalMs > 0 ? Math.floor((now - due) / r.reminderIntervalMs) : 0;
		return k >= 1 ? reminder(due, k, r.reminderIntervalMs) : dueThreshold(m);
	}
	return (
		offsetThresholds(m)
			.filter((t) => t.at <= now)
			.at(-1) ?? null
	);
}

/** The first threshold strictly after `now`, or null when none is left. */
export function nextThreshold(m: PlannerMilestone, now: number, r: Reminders): Threshold | null {
	const due = m.dueAt.getTime();
	if (now < due) return offsetThresholds(m).find((t) => t.at > now) ?? dueThreshold(m);
	if (m.kind === "event") {
		const outcome = outcomeReminder(due, r);
		return outcome && outcome.at > now ? outcome : null;
	}
	if (r.reminderIntervalMs <= 0) return null;
	return reminder(due, Math.floor((now - due) / r.reminderIntervalMs) + 1, r.reminderIntervalMs);
}

/** What an acknowledgement stops: everything after the due date that says it is still open. */
const quietWhenAcked = (kind: Threshold["kind"]) => kind === "overdue" || kind === "outcome_reminder";

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
	const crossed = latestCrossed(m, t, options);
	if (crossed && !(acked && quietWhenAcked(crossed.kind))) {
		const alert: PlannedAlert = { milestoneId: m.id, kind: crossed.kind, dueAt: due, offset: crossed.offset };
		if (!ledger.has(alertKey(alert))) alerts.push(alert);
	}
	const next = acked && t >= due ? null : nextThreshold(m, t, options);
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
 * never depends on the reminder intervals, so milestone writes may call it without config.
 */
export function nextCheckAt(m: PlannerMilestone, ledger: LedgerState, now: Date, reminders: Reminders = NO_REMINDERS): Date | null {
	if (m.status !== "scheduled") return null;
	const t = now.getTime();
	const due = m.dueAt.getTime();
	if (m.slipCount > 0 && !ledger.has(alertKey({ kind: "slip", milestoneId: m.id, dueAt: due, offset: null }))) return now;
	const acked = ledger.has(ackKey(m.id, due));
	const crossed = latestCrossed(m, t, reminders);
	if (
		crossed &&
		!(acked && quietWhenAcked(crossed.kind)) &&
		!ledger.has(alertKey({ kind: crossed.kind, milestoneId: m.id, dueAt: due, offset: crossed.offset }))
	)
		return now;
	const next = acked && t >= due ? null : nextThreshold(m, t, reminders);
	return next ? new Date(next.at) : null;
}
