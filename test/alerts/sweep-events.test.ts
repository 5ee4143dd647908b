// Events past their day through the real sweep, with a controlled clock: one "today" alert, one
// outcome reminder after EVENT_OUTCOME_REMINDER, then silence for a month of sweeps; an outcome
// ends it, a postponement re-arms it; a deadline on the same dates still gets overdue reminders.
import { describe, expect, it } from "vitest";
import { recordOutcome } from "../../worker/milestones/outcome";
import { config, DAY, HOUR, ledgerOf, scenario, sweepAt } from "../support/alerts";
import { db } from "../support/db";
import { FakeEmail } from "../support/fake-email";
import { timeoutFor } from "../support/runs";

/** 10 April 2031 in Asia/Baghdad (UTC+3) begins at 21:00 UTC the day before. */
const DAY_STARTS = Date.UTC(2031, 3, 9, 21);

/** Sweeps hourly around the day's start, every 6 hours through its third day, then daily for a month (each a little after its hour). */
async function sweepThrough(mail: FakeEmail, from = DAY_STARTS - 2 * HOUR, until = DAY_STARTS + 33 * DAY) {
	const step = (t: number) => (t < DAY_STARTS + 3 * HOUR ? HOUR : t < DAY_STARTS + 3 * DAY ? 6 * HOUR : DAY);
	for (let t = from; t < until; t += step(t)) await sweepAt(mail, t + 7_000);
}

/** About 50 sweeps per milestone, up to a second each on a busy machine. */
const SLOW = { timeout: timeoutFor(100, 1_000) };

const event = (offsets = ["PT0S"]) =>
	scenario(DAY_STARTS, DAY_STARTS - 40 * DAY, { kind: "event", due: "2031-04-10", timezone: "Asia/Baghdad", alert_offsets: offsets });

describe("the sweep for events past their day", () => {
	it("sends 'today' on the day, one outcome reminder two days later, then nothing for a month", SLOW, async () => {
		expect(config.alerts.outcomeReminderMs).toBe(2 * DAY);
		const { email, milestone } = await event();
		expect(milestone.dueAt.getTime()).toBe(DAY_STARTS);
		const mail = new FakeEmail();
		await sweepThrough(mail);
		const got = mail.to(email);
		expect(got.map((m) => m.subject)).toEqual([
			`[Vigil] Today: Deadline ${milestone.tags[0]} (on 10 April 2031)`,
			`[Vigil] Deadline ${milestone.tags[0]}: outcome not yet recorded (on 10 April 2031)`,
		]);
		expect(String(got[1]?.text)).toContain("POST /api/milestones/{id}/outcome");
		const rows = await ledgerOf(email);
		expect(rows.map((r) => [r.kind, r.offset, r.status])).toEqual([
			["event_day", "PT0S", "sent"],
			["outcome_reminder", "-P2D", "sent"],
		]);
		// Each at the first sweep after its moment: the day's start, then 48 h later (sweeps fall at 45 h and 51 h).
		expect(rows.map((r) => r.createdAt.getTime() - DAY_STARTS)).toEqual([7_000, 51 * HOUR + 7_000]);
	});

	it("a deadline on the same dates keeps its overdue notice and weekly reminders", SLOW, async () => {
		const { email } = await scenario(DAY_STARTS, DAY_STARTS - 40 * DAY, { alert_offsets: ["PT0S"] });
		const mail = new FakeEmail();
		await sweepThrough(mail);
		expect((await ledgerOf(email)).map((r) => [r.kind, r.offset])).toEqual([
			["overdue", "PT0S"],
			["overdue", "-P7D"],
			["overdue", "-P14D"],
			["overdue", "-P21D"],
			["overdue", "-P28D"],
		]);
	});

	it("an outcome recorded before the reminder stops it; a postponement re-arms the day and the reminder", SLOW, async () => {
		const held = await event();
		const postponed = await event();
		const mail = new FakeEmail();
		await sweepThrough(mail, DAY_STARTS - 2 * HOUR, DAY_STARTS + DAY);
		await recordOutcome(db, held.milestone.slug, { status: "held", note: "Polls closed on time" }, new Date(DAY_STARTS + DAY));
		await recordOutcome(db, postponed.milestone.slug, { status: "postponed", note: "Moved a week", due: "2031-04-17" }, new Date(DAY_STARTS + DAY));
		await sweepThrough(mail, DAY_STARTS + DAY, DAY_STARTS + 33 * DAY);
		expect((await ledgerOf(held.email)).map((r) => r.kind)).toEqual(["event_day"]);
		const later = DAY_STARTS + 7 * DAY;
		expect((await ledgerOf(postponed.email)).map((r) => [r.kind, r.offset, r.dueAt?.getTime()])).toEqual([
			["event_day", "PT0S", DAY_STARTS],
			["slip", null, later],
			["event_day", "PT0S", later],
			["outcome_reminder", "-P2D", later],
		]);
	});
});
