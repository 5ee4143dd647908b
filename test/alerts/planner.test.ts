import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ackKey, alertKey } from "../../worker/alerts/keys";
import { EMPTY_LEDGER, nextCheckAt, type PlannedAlert, type PlannerMilestone, planMilestone } from "../../worker/alerts/planner";
import { normalizeOffsets, parseDuration } from "../../worker/time/duration";
import { propertyRuns } from "../support/runs";

const DAY = 86_400_000;
const DUE = Date.UTC(2030, 0, 1);
const OFFSETS = ["P30D", "P14D", "P7D", "P3D", "P1D", "PT6H", "PT0S"];

const milestone = (over: Partial<PlannerMilestone> = {}): PlannerMilestone => ({
	id: 1,
	kind: "deadline",
	status: "scheduled",
	dueAt: new Date(DUE),
	alertOffsets: ["P30D", "P7D", "P1D", "PT0S"],
	slipCount: 0,
	tags: [],
	...over,
});

/** Runs the planner at each run time the way the sweep does, keeping the ledger between runs. */
function simulate(m: PlannerMilestone, runs: number[], reminderIntervalMs: number, honourNextCheck: boolean) {
	const ledger = new Set<string>();
	let next = nextCheckAt(m, EMPTY_LEDGER, new Date(DUE - 60 * DAY));
	const sent: { at: number; alert: PlannedAlert }[] = [];
	for (const t of runs) {
		if (honourNextCheck && (next === null || next.getTime() > t)) continue;
		const result = planMilestone(m, ledger, new Date(t), { reminderIntervalMs, outcomeReminderMs: 2 * DAY });
		for (const alert of result.alerts) {
			ledger.add(alertKey(alert));
			sent.push({ at: t, alert });
		}
		next = result.nextCheckAt;
	}
	return sent;
}

/** Every threshold in order: offsets (zero excluded), overdue, reminders up to `until`. */
function thresholds(m: PlannerMilestone, reminderIntervalMs: number, until: number) {
	const due = m.dueAt.getTime();
	const list = normalizeOffsets(m.alertOffsets)
		.filter((o) => parseDuration(o) > 0)
		.map((o) => ({ at: due - parseDuration(o), offset: o }));
	list.push({ at: due, offset: "PT0S" });
	for (let k = 1; reminderIntervalMs > 0 && due + k * reminderIntervalMs <= until; k++)
		list.push({ at: due + k * reminderIntervalMs, offset: `-P${(k * reminderIntervalMs) / DAY}D` });
	return list;
}

/** What the window rule expects: each threshold at the first run in [its time, the next threshold), among `runs`. */
function expectedSends(list: { at: number; offset: string }[], runs: number[]) {
	return list.flatMap((t, i) => {
		const end = list[i + 1]?.at ?? Number.POSITIVE_INFINITY;
		const first = runs.find((r) => r >= t.at && r < end);
		return first === undefined ? [] : [{ at: first, offset: t.offset as string | null }];
	});
}

const schedule = fc.record({
	offsets: fc.subarray(OFFSETS, { minLength: 1 }),
	reminder: fc.constantFrom(0, DAY, 7 * DAY),
	runs: fc.uniqueArray(fc.integer({ min: DUE - 40 * DAY, max: DUE + 30 * DAY }), { maxLength: 80 }).map((r) => r.sort((a, b) => a - b)),
});

describe("planner (property)", () => {
	it("plans each crossed threshold exactly once, at the first run in its window, never early; after a gap only the latest", () => {
		fc.assert(
			fc.property(schedule, ({ offsets, reminder, runs }) => {
				const m = milestone({ alertOffsets: normalizeOffsets(offsets) });
				const sent = simulate(m, runs, reminder, true);
				const list = thresholds(m, reminder, runs.at(-1) ?? DUE);
				const expected = expectedSends(list, runs);
				expect(sent.map((s) => ({ at: s.at, offset: s.alert.offset }))).toEqual(expected);
				for (const s of sent) expect(list.find((t) => t.offset === s.alert.offset)?.at ?? Number.POSITIVE_INFINITY).toBeLessThanOrEqual(s.at);
			}),
			{ numRuns: propertyRuns(300) },
		);
	});

	it("skipping runs by next_check_at never changes what is planned", () => {
		fc.assert(
			fc.property(schedule, ({ offsets, reminder, runs }) => {
				const m = milestone({ alertOffsets: normalizeOffsets(offsets) });
				expect(simulate(m, runs, reminder, true)).toEqual(simulate(m, runs, reminder, false));
			}),
			{ numRuns: propertyRuns(200) },
		);
	});

	it("a slip sends one slip notice at the first run after it, then re-arms every threshold against the new date", () => {
		fc.assert(
			fc.property(
				schedule,
				fc.integer({ min: DUE - 40 * DAY, max: DUE + 30 * DAY }),
				fc.integer({ min: -20, max: 60 }).filter((d) => d !== 0),
				({ offsets, reminder, runs }, slipAt, shiftDays) => {
					const before = milestone({ alertOffsets: normalizeOffsets(offsets) });
					const after = { ...before, dueAt: new Date(DUE + shiftDays * DAY), slipCount: 1 };
					const ledger = new Set<string>();
					let current = before;
					let next = nextCheckAt(before, EMPTY_LEDGER, new Date(DUE - 60 * DAY));
					const sent: { at: number; kind: string; offset: string | null; dueAt: number }[] = [];
					for (const t of runs) {
						if (current === before && t >= slipAt) {
							current = after;
							next = nextCheckAt(after, EMPTY_LEDGER, new Date(slipAt)); // what updateMilestone stores
						}
						if (next === null || next.getTime() > t) continue;
						const result = planMilestone(current, ledger, new Date(t), { reminderIntervalMs: reminder, outcomeReminderMs: 2 * DAY });
						for (const a of result.alerts) {
							ledger.add(alertKey(a));
							sent.push({ at: t, kind: a.kind, offset: a.offset, dueAt: a.dueAt });
						}
						next = result.nextCheckAt;
					}
					const early = runs.filter((r) => r < slipAt);
					const late = runs.filter((r) => r >= slipAt);
					const last = runs.at(-1) ?? DUE;
					const firstLate = late[0];
					expect(sent.filter((s) => s.dueAt === DUE).map((s) => ({ at: s.at, offset: s.offset }))).toEqual(
						expectedSends(thresholds(before, reminder, last), early),
					);
					expect(sent.filter((s) => s.kind === "slip").map((s) => s.at)).toEqual(firstLate === undefined ? [] : [firstLate]);
					expect(sent.filter((s) => s.dueAt !== DUE && s.kind !== "slip").map((s) => ({ at: s.at, offset: s.offset }))).toEqual(
						expectedSends(thresholds(after, reminder, last), late),
					);
				},
			),
			{ numRuns: propertyRuns(300) },
		);
	});

	it("next_check_at is never in the past relative to the run that set it", () => {
		fc.assert(
			fc.property(schedule, fc.integer({ min: DUE - 40 * DAY, max: DUE + 30 * DAY }), ({ offsets, reminder }, t) => {
				const r = planMilestone(milestone({ alertOffsets: normalizeOffsets(offsets) }), EMPTY_LEDGER, new Date(t), {
					reminderIntervalMs: reminder,
					outcomeReminderMs: 2 * DAY,
				});
				if (r.nextCheckAt) expect(r.nextCheckAt.getTime()).toBeGreaterThan(t);
			}),
		);
	});
});

describe("planner (examples)", () => {
	const at = (ms: number) => new Date(ms);
	const opts = { reminderIntervalMs: 7 * DAY, outcomeReminderMs: 2 * DAY };

	it("after downtime says 1 day left, not 30 days left", () => {
		const r = planMilestone(milestone(), EMPTY_LEDGER, at(DUE - 20 * 3_600_000), opts);
		expect(r.alerts).toEqual([{ milestoneId: 1, kind: "deadline", dueAt: DUE, offset: "P1D" }]);
		expect(r.nextCheckAt?.getTime()).toBe(DUE);
	});

	it("plans nothing before the first threshold and wakes at it", () => {
		const r = planMilestone(milestone(), EMPTY_LEDGER, at(DUE - 31 * DAY), opts);
		expect(r.alerts).toEqual([]);
		expect(r.nextCheckAt?.getTime()).toBe(DUE - 30 * DAY);
	});

	it("a slip plans one slip notice and re-arms offsets against the new due date", () => {
		const oldLedger = new Set([alertKey({ kind: "deadline", milestoneId: 1, dueAt: DUE, offset: "P7D" })]);
		const slipped = milestone({ dueAt: new Date(DUE + 60 * DAY), slipCount: 1 });
		const r = planMilestone(slipped, oldLedger, at(DUE - 5 * DAY), opts);
		expect(r.alerts).toEqual([{ milestoneId: 1, kind: "slip", dueAt: DUE + 60 * DAY, offset: null }]);
		expect(r.nextCheckAt?.getTime()).toBe(DUE + 30 * DAY);
		const later = planMilestone(slipped, new Set([...oldLedger, alertKey(r.alerts[0] as PlannedAlert)]), at(DUE + 54 * DAY), opts);
		expect(later.alerts).toEqual([{ milestoneId: 1, kind: "deadline", dueAt: DUE + 60 * DAY, offset: "P7D" }]);
	});

	it("overdue once, then a reminder every interval; none when the interval is 0", () => {
		const overdue = planMilestone(milestone(), EMPTY_LEDGER, at(DUE + 3_600_000), opts);
		expect(overdue.alerts).toEqual([{ milestoneId: 1, kind: "overdue", dueAt: DUE, offset: "PT0S" }]);
		const ledger = new Set([alertKey(overdue.alerts[0] as PlannedAlert)]);
		expect(planMilestone(milestone(), ledger, at(DUE + 6 * DAY), opts).alerts).toEqual([]);
		expect(planMilestone(milestone(), ledger, at(DUE + 15 * DAY), opts).alerts).toEqual([{ milestoneId: 1, kind: "overdue", dueAt: DUE, offset: "-P14D" }]);
		const off = planMilestone(milestone(), ledger, at(DUE + 15 * DAY), { reminderIntervalMs: 0, outcomeReminderMs: 0 });
		expect(off).toEqual({ alerts: [], nextCheckAt: null });
	});

	it("an acknowledged due date gets no overdue notice or reminder and no next check; a slip re-arms it", () => {
		const acked = new Set([ackKey(1, DUE)]);
		for (const t of [DUE + 3_600_000, DUE + 15 * DAY, DUE + 400 * DAY]) {
			expect(planMilestone(milestone(), acked, at(t), opts)).toEqual({ alerts: [], nextCheckAt: null });
			expect(nextCheckAt(milestone(), acked, at(t), opts)).toBeNull();
		}
		const slipped = milestone({ dueAt: new Date(DUE + 60 * DAY), slipCount: 1 });
		const slip = { milestoneId: 1, kind: "slip", dueAt: DUE + 60 * DAY, offset: null } as const;
		const ledger = new Set([...acked, alertKey(slip)]);
		expect(planMilestone(slipped, ledger, at(DUE + 61 * DAY), opts).alerts).toEqual([
			{ milestoneId: 1, kind: "overdue", dueAt: DUE + 60 * DAY, offset: "PT0S" },
		]);
	});

	it("met, missed and cancelled milestones plan nothing and are never checked again", () => {
		for (const status of ["met", "missed", "cancelled"] as const) {
			expect(planMilestone(milestone({ status }), EMPTY_LEDGER, at(DUE + DAY), opts)).toEqual({ alerts: [], nextCheckAt: null });
		}
	});

	it("a silence defers planning until it ends; a tag silence covers tagged milestones only", () => {
		const until = new Date(DUE - 12 * 3_600_000);
		const silenced = planMilestone(milestone({ tags: ["iraq"] }), EMPTY_LEDGER, at(DUE - 2 * DAY), {
			...opts,
			silences: [{ milestoneId: null, tag: "iraq", zoneId: null, until }],
		});
		expect(silenced).toEqual({ alerts: [], nextCheckAt: until });
		const other = planMilestone(milestone({ tags: ["syria"] }), EMPTY_LEDGER, at(DUE - 2 * DAY), {
			...opts,
			silences: [{ milestoneId: null, tag: "iraq", zoneId: null, until }],
		});
		expect(other.alerts.map((a) => a.offset)).toEqual(["P7D"]);
		const after = planMilestone(milestone({ tags: ["iraq"] }), EMPTY_LEDGER, until, {
			...opts,
			silences: [{ milestoneId: null, tag: "iraq", zoneId: null, until }],
		});
		expect(after.alerts.map((a) => a.offset)).toEqual(["P1D"]);
	});
});
