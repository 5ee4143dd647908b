// The planner for events: on its day one "today" alert, then one outcome reminder, never an
// overdue alert or a repeated reminder; a slip re-arms both, an outcome ends them.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { alertKey } from "../../worker/alerts/keys";
import { EMPTY_LEDGER, nextCheckAt, type PlannerMilestone, planMilestone, type Reminders } from "../../worker/alerts/planner";
import { formatDuration, normalizeOffsets, parseDuration } from "../../worker/time/duration";
import { propertyRuns } from "../support/runs";

const DAY = 86_400_000;
const DUE = Date.UTC(2030, 0, 1);
const OFFSETS = ["P30D", "P7D", "P1D", "PT6H", "PT0S"];

const event = (over: Partial<PlannerMilestone> = {}): PlannerMilestone => ({
	id: 1,
	kind: "event",
	status: "scheduled",
	dueAt: new Date(DUE),
	alertOffsets: ["P30D", "P7D", "P1D", "PT0S"],
	slipCount: 0,
	tags: [],
	...over,
});

interface Sent {
	at: number;
	kind: string;
	offset: string | null;
	dueAt: number;
}

/**
 * Runs the planner at each run time as the sweep does, keeping the ledger between runs; at
 * `change.at` the milestone becomes `change.to` and next_check_at is what a write would store.
 */
function simulate(start: PlannerMilestone, runs: number[], reminders: Reminders, honourNextCheck: boolean, change?: { at: number; to: PlannerMilestone }) {
	const ledger = new Set<string>();
	let m = start;
	let next = nextCheckAt(m, EMPTY_LEDGER, new Date(DUE - 60 * DAY));
	const sent: Sent[] = [];
	for (const t of runs) {
		if (change && m === start && t >= change.at) {
			m = change.to;
			next = nextCheckAt(m, EMPTY_LEDGER, new Date(change.at));
		}
		if (honourNextCheck && (next === null || next.getTime() > t)) continue;
		const result = planMilestone(m, ledger, new Date(t), { ...reminders, silences: [] });
		for (const a of result.alerts) {
			ledger.add(alertKey(a));
			sent.push({ at: t, kind: a.kind, offset: a.offset, dueAt: a.dueAt });
		}
		next = result.nextCheckAt;
	}
	return sent;
}

/** An event's thresholds in order: its offsets (zero excluded), its day, its one outcome reminder. */
function thresholds(m: PlannerMilestone, outcomeReminderMs: number) {
	const due = m.dueAt.getTime();
	const list = normalizeOffsets(m.alertOffsets)
		.filter((o) => parseDuration(o) > 0)
		.map((o) => ({ at: due - parseDuration(o), kind: "deadline", offset: o }));
	list.push({ at: due, kind: "event_day", offset: "PT0S" });
	if (outcomeReminderMs > 0) list.push({ at: due + outcomeReminderMs, kind: "outcome_reminder", offset: `-${formatDuration(outcomeReminderMs)}` });
	return list;
}

/** Each threshold at the first run in [its time, the next threshold), among `runs`. */
function expectedSends(list: ReturnType<typeof thresholds>, runs: number[]) {
	return list.flatMap((t, i) => {
		const end = list[i + 1]?.at ?? Number.POSITIVE_INFINITY;
		const first = runs.find((r) => r >= t.at && r < end);
		return first === undefined ? [] : [{ at: first, kind: t.kind, offset: t.offset as string | null }];
	});
}

const sweeps = (from: number, to: number) => fc.uniqueArray(fc.integer({ min: from, max: to }), { maxLength: 80 }).map((r) => r.sort((a, b) => a - b));

const schedule = fc.record({
	offsets: fc.subarray(OFFSETS, { minLength: 1 }),
	reminders: fc.record({ reminderIntervalMs: fc.constantFrom(0, DAY, 7 * DAY), outcomeReminderMs: fc.constantFrom(0, 3_600_000, 2 * DAY, 9 * DAY) }),
	runs: sweeps(DUE - 40 * DAY, DUE + 60 * DAY),
});

const count = (sent: Sent[], kind: string, dueAt: number) => sent.filter((s) => s.kind === kind && s.dueAt === dueAt).length;

describe("planner for events (property)", () => {
	it("at most one day alert and one outcome reminder, never overdue, each at the first run of its window", () => {
		fc.assert(
			fc.property(schedule, fc.boolean(), ({ offsets, reminders, runs }, honour) => {
				const m = event({ alertOffsets: normalizeOffsets(offsets) });
				const sent = simulate(m, runs, reminders, honour);
				expect(sent.map(({ at, kind, offset }) => ({ at, kind, offset }))).toEqual(expectedSends(thresholds(m, reminders.outcomeReminderMs), runs));
				expect(sent.filter((s) => s.kind === "overdue")).toEqual([]);
				expect(count(sent, "event_day", DUE)).toBeLessThanOrEqual(1);
				expect(count(sent, "outcome_reminder", DUE)).toBeLessThanOrEqual(1);
				// The reminder interval for deadlines never touches an event.
				expect(simulate(m, runs, { ...reminders, reminderIntervalMs: 0 }, honour)).toEqual(sent);
			}),
			{ numRuns: propertyRuns(300) },
		);
	});

	it("a slip re-arms the day alert and the reminder against the new date, once each", () => {
		fc.assert(
			fc.property(
				schedule,
				fc.integer({ min: DUE - 10 * DAY, max: DUE + 30 * DAY }),
				fc.integer({ min: 1, max: 40 }),
				({ offsets, reminders, runs }, slipAt, shiftDays) => {
					const before = event({ alertOffsets: normalizeOffsets(offsets) });
					const newDue = Math.max(DUE, slipAt) + shiftDays * DAY;
					const after = { ...before, dueAt: new Date(newDue), slipCount: 1 };
					const sent = simulate(before, runs, reminders, true, { at: slipAt, to: after });
					const late = runs.filter((r) => r >= slipAt);
					expect(sent.filter((s) => s.kind === "slip").map((s) => s.at)).toEqual(late.slice(0, 1));
					expect(sent.filter((s) => s.dueAt === newDue && s.kind !== "slip").map(({ at, kind, offset }) => ({ at, kind, offset }))).toEqual(
						expectedSends(thresholds(after, reminders.outcomeReminderMs), late),
					);
					for (const due of [DUE, newDue]) {
						expect(count(sent, "event_day", due)).toBeLessThanOrEqual(1);
						expect(count(sent, "outcome_reminder", due)).toBeLessThanOrEqual(1);
					}
					expect(sent.filter((s) => s.kind === "overdue")).toEqual([]);
				},
			),
			{ numRuns: propertyRuns(300) },
		);
	});

	it("an outcome recorded ends the timeline: nothing planned after it, never checked again", () => {
		fc.assert(
			fc.property(
				schedule,
				fc.integer({ min: DUE - 10 * DAY, max: DUE + 30 * DAY }),
				fc.constantFrom("met", "missed") as fc.Arbitrary<"met" | "missed">,
				(s, at, status) => {
					const m = event({ alertOffsets: normalizeOffsets(s.offsets) });
					const sent = simulate(m, s.runs, s.reminders, true, { at, to: { ...m, status } });
					expect(sent.filter((x) => x.at >= at)).toEqual([]);
					expect(nextCheckAt({ ...m, status }, EMPTY_LEDGER, new Date(at), s.reminders)).toBeNull();
				},
			),
			{ numRuns: propertyRuns(200) },
		);
	});
});

describe("planner for events (examples)", () => {
	const opts = { reminderIntervalMs: 7 * DAY, outcomeReminderMs: 2 * DAY };

	it("says 'today' at the start of its day, then once after two days that the outcome is missing, then nothing", () => {
		const day = planMilestone(event(), EMPTY_LEDGER, new Date(DUE + 60_000), opts);
		expect(day.alerts).toEqual([{ milestoneId: 1, kind: "event_day", dueAt: DUE, offset: "PT0S" }]);
		expect(day.nextCheckAt?.getTime()).toBe(DUE + 2 * DAY);
		const ledger = new Set(day.alerts.map(alertKey));
		const reminder = planMilestone(event(), ledger, new Date(DUE + 2 * DAY), opts);
		expect(reminder.alerts).toEqual([{ milestoneId: 1, kind: "outcome_reminder", dueAt: DUE, offset: "-P2D" }]);
		expect(reminder.nextCheckAt).toBeNull();
		for (const a of reminder.alerts) ledger.add(alertKey(a));
		expect(planMilestone(event(), ledger, new Date(DUE + 400 * DAY), opts)).toEqual({ alerts: [], nextCheckAt: null });
	});

	it("a deadline with the same dates is still overdue, with reminders", () => {
		const r = planMilestone(event({ kind: "deadline" }), EMPTY_LEDGER, new Date(DUE + 15 * DAY), opts);
		expect(r.alerts).toEqual([{ milestoneId: 1, kind: "overdue", dueAt: DUE, offset: "-P14D" }]);
		expect(r.nextCheckAt?.getTime()).toBe(DUE + 21 * DAY);
	});

	it("EVENT_OUTCOME_REMINDER of zero: the day alert only", () => {
		const r = planMilestone(event(), EMPTY_LEDGER, new Date(DUE + 30 * DAY), { ...opts, outcomeReminderMs: 0 });
		expect(r).toEqual({ alerts: [{ milestoneId: 1, kind: "event_day", dueAt: DUE, offset: "PT0S" }], nextCheckAt: null });
	});
});
