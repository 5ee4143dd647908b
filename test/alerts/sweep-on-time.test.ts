// The minutely sweep, through scheduled() as the Cron Trigger runs it: an alert is attempted
// within a minute of its threshold, catch-up after downtime still sends only the latest
// threshold, and a run with nothing due costs two D1 queries.
import { env } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { SWEEP } from "../../worker/cron/jobs";
import { cronRuns } from "../../worker/db/schema";
import { runScheduled } from "../../worker/scheduled";
import { DAY, HOUR, ledgerOf, scenario } from "../support/alerts";
import { db } from "../support/db";
import { FakeEmail } from "../support/fake-email";
import { faultyD1 } from "../support/faulty-d1";

const MIN = 60_000;
/** The trigger fires a little after its minute, as Cron Triggers do. */
const LATE_MS = 3_000;

/** Fires the sweep at every minute in [from, to), as the Cron Trigger would; answers the run instants. */
async function everyMinute(mail: FakeEmail, from: number, to: number, onRun?: (at: number) => void) {
	const bindings = { ...env, EMAIL: mail };
	for (let tick = Math.ceil(from / MIN) * MIN; tick < to; tick += MIN) {
		await runScheduled({ cron: SWEEP.cron, scheduledTime: tick }, bindings, new Date(tick + LATE_MS));
		onRun?.(tick + LATE_MS);
	}
}

describe("the minutely sweep", () => {
	it("attempts an alert within 60 s of its threshold, wherever in the minute the threshold falls", async () => {
		for (const [i, second] of [0, 1_000, 30_500, 59_999].entries()) {
			// Thresholds in minutes no chore falls on (minute 3, 13, 23, 33 past the hour).
			const crossing = Date.UTC(2032, 4, 1, 9, 3 + 10 * i) + second;
			const due = crossing + DAY;
			const { email } = await scenario(due, due - 10 * DAY, { alert_offsets: ["P1D"] });
			const mail = new FakeEmail();
			let firstAttempt: number | null = null;
			await everyMinute(mail, crossing - 3 * MIN, crossing + 3 * MIN, (at) => {
				if (firstAttempt === null && mail.to(email).length > 0) firstAttempt = at;
			});
			expect(firstAttempt, `threshold at +${second} ms`).not.toBeNull();
			const late = (firstAttempt ?? 0) - crossing;
			expect(late, `threshold at +${second} ms`).toBeGreaterThanOrEqual(0);
			expect(late, `threshold at +${second} ms`).toBeLessThanOrEqual(60_000 + LATE_MS);
			expect((await ledgerOf(email)).map((r) => [r.offset, r.status, r.attempts])).toEqual([["P1D", "sent", 1]]);
		}
	});

	it("after downtime sends only the smallest crossed offset, then each later one on time", async () => {
		const due = Date.UTC(2032, 6, 1, 12, 0, 20);
		const { email } = await scenario(due, due - 40 * DAY);
		const mail = new FakeEmail();
		await everyMinute(mail, due - 30 * DAY - 2 * MIN, due - 30 * DAY + 2 * MIN);
		// Down from 29 days before to 20 hours before: P7D and P1D are both crossed meanwhile.
		await everyMinute(mail, due - 20 * HOUR, due - 20 * HOUR + 2 * MIN);
		await everyMinute(mail, due - 2 * MIN, due + 2 * MIN);
		expect(mail.to(email).map((m) => m.subject)).toEqual([
			expect.stringMatching(/due in 29 days 23 hours$/),
			expect.stringMatching(/due in 19 hours 59 minutes$/),
			expect.stringMatching(/: overdue /),
		]);
		expect((await ledgerOf(email)).map((r) => r.offset)).toEqual(["P30D", "P1D", "PT0S"]);
	});
});

describe("an idle sweep", () => {
	/** Minute 7 past the hour in 2000: no chore falls on it and nothing in this file is due that early. */
	const IDLE_AT = Date.UTC(2000, 0, 1, 0, 7);

	const runAt = (at: number) =>
		db
			.select()
			.from(cronRuns)
			.where(and(eq(cronRuns.job, "sweep"), eq(cronRuns.scheduledTime, new Date(at))));

	it("costs two D1 queries: the probe and the run's record", async () => {
		const plan = { failAt: 0, calls: 0 };
		await runScheduled({ cron: SWEEP.cron, scheduledTime: IDLE_AT }, { ...env, DB: faultyD1(env.DB, plan) }, new Date(IDLE_AT + LATE_MS));
		expect(plan.calls).toBe(2);
		const [run] = await runAt(IDLE_AT);
		expect(run).toMatchObject({ startedAt: new Date(IDLE_AT + LATE_MS), counts: { idle: 1 }, error: null });
		expect(run?.finishedAt).not.toBeNull();
	});

	it("runs in full when a milestone is due, and on the minutes its chores fall on", async () => {
		const due = IDLE_AT + 2 * HOUR;
		const { email } = await scenario(due, due - 10 * DAY, { alert_offsets: ["PT3H"] });
		const mail = new FakeEmail();
		const plan = { failAt: 0, calls: 0 };
		const bindings = { ...env, DB: faultyD1(env.DB, plan), EMAIL: mail };
		await runScheduled({ cron: SWEEP.cron, scheduledTime: IDLE_AT + MIN }, bindings, new Date(IDLE_AT + MIN));
		expect(plan.calls).toBeGreaterThan(2);
		expect(mail.to(email)).toHaveLength(1);
		const [due3h] = await runAt(IDLE_AT + MIN);
		expect(due3h?.counts).toMatchObject({ milestones_checked: 1, sent: 1 });

		// Minute 10: surges are looked at; minute 0 of an hour: pruning. Neither is an idle run.
		for (const at of [Date.UTC(2000, 0, 1, 0, 10), Date.UTC(2000, 0, 1, 1, 0)]) {
			await runScheduled({ cron: SWEEP.cron, scheduledTime: at }, { ...env, EMAIL: mail }, new Date(at + LATE_MS));
			const [run] = await runAt(at);
			expect(run?.counts).not.toEqual({ idle: 1 });
			expect(run?.counts).toHaveProperty("surge_alerts_planned");
		}
	});
});
