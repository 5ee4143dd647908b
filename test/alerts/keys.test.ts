import { describe, expect, it } from "vitest";
import { alertKey, dedupeKey } from "../../worker/alerts/keys";
import { EMPTY_LEDGER, planMilestone } from "../../worker/alerts/planner";

const DUE = Date.UTC(2030, 0, 1);
const DAY = 86_400_000;

describe("alert keys", () => {
	it("name kind, milestone or zone, due_at and offset; the dedupe key adds the recipient", () => {
		expect(alertKey({ kind: "deadline", milestoneId: 7, dueAt: DUE, offset: "P7D" })).toBe(`deadline:m7:${DUE}:P7D`);
		expect(alertKey({ kind: "slip", milestoneId: 7, dueAt: DUE, offset: null })).toBe(`slip:m7:${DUE}:`);
		expect(dedupeKey({ kind: "surge", milestoneId: null, zoneId: 3, dueAt: DUE, offset: null, recipient: "desk@example.org" })).toBe(
			`surge:z3:${DUE}::desk@example.org`,
		);
		expect(dedupeKey({ kind: "digest", milestoneId: null, zoneId: null, dueAt: DUE, offset: null, recipient: "a@example.org" })).toBe(
			`digest:-:${DUE}::a@example.org`,
		);
	});

	it("the key the planner looks for is the stored dedupe key without its recipient", () => {
		const m = { id: 7, kind: "deadline" as const, status: "scheduled" as const, dueAt: new Date(DUE), alertOffsets: ["P7D"], slipCount: 1, tags: [] };
		const { alerts } = planMilestone(m, EMPTY_LEDGER, new Date(DUE - 6 * DAY), { reminderIntervalMs: 0, outcomeReminderMs: 0 });
		expect(alerts.map((a) => a.kind)).toEqual(["slip", "deadline"]);
		for (const a of alerts) expect(dedupeKey({ ...a, recipient: "desk@example.org" })).toBe(`${alertKey(a)}:desk@example.org`);
		const ledger = new Set(alerts.map(alertKey));
		expect(planMilestone(m, ledger, new Date(DUE - 6 * DAY), { reminderIntervalMs: 0, outcomeReminderMs: 0 }).alerts).toEqual([]);
	});

	it("a different milestone, due_at or offset makes a different key", () => {
		const base = { kind: "deadline" as const, milestoneId: 7, dueAt: DUE, offset: "P7D" };
		const keys = new Set(
			[base, { ...base, milestoneId: 8 }, { ...base, dueAt: DUE + DAY }, { ...base, offset: "P1D" }, { ...base, kind: "overdue" as const }].map(alertKey),
		);
		expect(keys.size).toBe(5);
	});
});
