// The deadline sweep when sending goes well: which alerts go out and when, slips, silences,
// grouping and overlapping runs. Failures and recovery are in sweep-recovery.test.ts.
import { createScheduledController, env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createSilence } from "../../worker/alerts/silences";
import { dueMilestones } from "../../worker/alerts/sweep";
import { milestones } from "../../worker/db/schema";
import { createMilestone, updateMilestone } from "../../worker/milestones/queries";
import { runScheduled } from "../../worker/scheduled";
import { config, DAY, HOUR, ledgerOf, scenario, sweepAt } from "../support/alerts";
import { db } from "../support/db";
import { FakeEmail } from "../support/fake-email";

const DUE = Date.UTC(2031, 2, 1, 12);
const MIN = 60_000;

describe("deadline sweep", () => {
	it("sends each offset once, at the first run after it is crossed, then overdue", async () => {
		const { email, milestone } = await scenario(DUE, DUE - 40 * DAY);
		const mail = new FakeEmail();
		for (const t of [
			DUE - 35 * DAY,
			DUE - 30 * DAY + MIN,
			DUE - 30 * DAY + 11 * MIN,
			DUE - 8 * DAY,
			DUE - 7 * DAY + MIN,
			DUE - 7 * DAY + 2 * HOUR,
			DUE - DAY + MIN,
			DUE - DAY + 10 * MIN,
			DUE + MIN,
			DUE + 20 * MIN,
		]) {
			await sweepAt(mail, t);
		}
		const got = mail.to(email);
		expect(got.map((m) => m.subject)).toEqual([
			expect.stringMatching(/^\[Vigil\] Deadline .*: due in 29 days 23 hours$/),
			expect.stringMatching(/due in 6 days 23 hours$/),
			expect.stringMatching(/due in 23 hours 59 minutes$/),
			expect.stringMatching(/: overdue \(due by 1 March 2031, 12:00 UTC\)$/),
		]);
		const rows = await ledgerOf(email);
		expect(rows.map((r) => [r.kind, r.offset, r.status, r.attempts])).toEqual([
			["deadline", "P30D", "sent", 1],
			["deadline", "P7D", "sent", 1],
			["deadline", "P1D", "sent", 1],
			["overdue", "PT0S", "sent", 1],
		]);
		expect(rows.every((r) => r.messageId?.startsWith("<fake-") && r.dueAt?.getTime() === DUE)).toBe(true);
		const after = await db.query.milestones.findFirst({ where: eq(milestones.id, milestone.id) });
		expect(after?.nextCheckAt?.getTime()).toBe(DUE + config.alerts.reminderIntervalMs);
	});

	it("after a long gap sends only the smallest crossed offset", async () => {
		const { email } = await scenario(DUE, DUE - 40 * DAY);
		const mail = new FakeEmail();
		await sweepAt(mail, DUE - 20 * HOUR);
		await sweepAt(mail, DUE - 19 * HOUR);
		expect(mail.to(email).map((m) => m.subject)).toEqual([expect.stringMatching(/due in 20 hours$/)]);
		expect((await ledgerOf(email)).map((r) => r.offset)).toEqual(["P1D"]);
	});

	it("a slip sends a slip notice and re-arms the offsets against the new due date", async () => {
		const { email, milestone } = await scenario(DUE, DUE - 40 * DAY);
		const mail = new FakeEmail();
		await sweepAt(mail, DUE - 7 * DAY + MIN);
		await updateMilestone(db, String(milestone.id), { due: new Date(DUE + 60 * DAY).toISOString(), reason: "talks <postponed>" }, new Date(DUE - 6 * DAY));
		await sweepAt(mail, DUE - 6 * DAY + MIN);
		await sweepAt(mail, DUE + 53 * DAY + MIN);
		const got = mail.to(email);
		expect(got.map((m) => m.subject)).toEqual([
			expect.stringMatching(/due in 6 days 23 hours$/),
			expect.stringMatching(/: moved, now due by 30 April 2031, 12:00 UTC$/),
			expect.stringMatching(/due in 6 days 23 hours$/),
		]);
		expect(got[1]?.text).toContain("talks <postponed>");
		expect(got[1]?.html).toContain("talks &lt;postponed&gt;");
		const rows = await ledgerOf(email);
		expect(rows.map((r) => [r.kind, r.offset, r.dueAt?.getTime()])).toEqual([
			["deadline", "P7D", DUE],
			["slip", null, DUE + 60 * DAY],
			["deadline", "P7D", DUE + 60 * DAY],
		]);
		// Stored under the planner's key plus the recipient: what the next sweep reads back.
		expect(rows.map((r) => r.dedupeKey)).toEqual([
			`deadline:m${milestone.id}:${DUE}:P7D:${email}`,
			`slip:m${milestone.id}:${DUE + 60 * DAY}::${email}`,
			`deadline:m${milestone.id}:${DUE + 60 * DAY}:P7D:${email}`,
		]);
	});

	it("a milestone left scheduled past due gets one overdue notice, then reminders; marking it met stops them", async () => {
		const { email, milestone } = await scenario(DUE, DUE - 2 * DAY, { alert_offsets: ["PT0S"] });
		const mail = new FakeEmail();
		for (const t of [DUE + MIN, DUE + 3 * DAY, DUE + 7 * DAY + MIN, DUE + 8 * DAY, DUE + 14 * DAY + MIN]) await sweepAt(mail, t);
		await updateMilestone(db, String(milestone.id), { status: "met" }, new Date(DUE + 15 * DAY));
		await sweepAt(mail, DUE + 21 * DAY + MIN);
		expect(mail.to(email).map((m) => m.subject)).toEqual([
			expect.stringMatching(/: overdue/),
			expect.stringMatching(/: still open, 7 days 0 hours past due|: still open, 7 days past due/),
			expect.stringMatching(/: still open, 14 days past due/),
		]);
		expect((await ledgerOf(email)).map((r) => r.offset)).toEqual(["PT0S", "-P7D", "-P14D"]);
	});

	it("a silence holds alerts while active and lets the current one through when it ends", async () => {
		const { email, milestone } = await scenario(DUE, DUE - 40 * DAY);
		await createSilence(db, { milestone: String(milestone.id), until: new Date(DUE - 3 * DAY).toISOString(), reason: "quiet" }, new Date(DUE - 31 * DAY));
		const mail = new FakeEmail();
		await sweepAt(mail, DUE - 30 * DAY + MIN);
		await sweepAt(mail, DUE - 7 * DAY + MIN);
		expect(mail.to(email)).toEqual([]);
		await sweepAt(mail, DUE - 3 * DAY + MIN);
		expect(mail.to(email).map((m) => m.subject)).toEqual([expect.stringMatching(/due in 2 days 23 hours$/)]);
		expect((await ledgerOf(email)).map((r) => r.offset)).toEqual(["P7D"]);
	});

	it("groups one email per recipient per run, most urgent first", async () => {
		const a = await scenario(DUE + 5 * DAY, DUE - 40 * DAY);
		const b = await createMilestoneFor(a.tag, DUE - 2 * HOUR);
		const mail = new FakeEmail();
		await sweepAt(mail, DUE);
		const got = mail.to(a.email);
		expect(got).toHaveLength(1);
		expect(got[0]?.subject).toMatch(new RegExp(`^\\[Vigil\\] ${b.title}: overdue .*\\(\\+1 more\\)$`));
		const id = mail.idOf(got[0]);
		expect(id).toBeDefined();
		expect((await ledgerOf(a.email)).map((r) => [r.status, r.messageId])).toEqual([
			["sent", id],
			["sent", id],
		]);
	});

	it("two overlapping scheduled() runs send each alert exactly once", async () => {
		const first = await scenario(DUE, DUE - 40 * DAY);
		const second = await scenario(DUE + DAY, DUE - 40 * DAY);
		const mail = new FakeEmail();
		const testEnv = { ...env, EMAIL: mail };
		const controller = createScheduledController({ cron: "* * * * *", scheduledTime: DUE - 12 * HOUR });
		await Promise.all([runScheduled(controller, testEnv, new Date(DUE - 12 * HOUR)), runScheduled(controller, testEnv, new Date(DUE - 12 * HOUR + 1000))]);
		await runScheduled(controller, testEnv, new Date(DUE - 11 * HOUR));
		expect(mail.to(first.email)).toHaveLength(1);
		expect(mail.to(second.email)).toHaveLength(1);
		expect((await ledgerOf(first.email)).map((r) => [r.offset, r.status, r.attempts])).toEqual([["P1D", "sent", 1]]);
	});
});

function createMilestoneFor(tag: string, dueAt: number) {
	return createMilestone(db, { title: `Urgent ${tag}`, due: new Date(dueAt).toISOString(), tags: [tag] }, "UTC", new Date(DUE - 40 * DAY));
}

describe("sweep cost", () => {
	it("finds due milestones through the next_check_at index, not by scanning milestones", async () => {
		const query = dueMilestones(db, new Date(DUE), 50).toSQL();
		const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${query.sql}`)
			.bind(...query.params)
			.all<{ detail: string }>();
		const details = plan.results.map((r) => r.detail).join(" | ");
		expect(details).toMatch(/SEARCH milestones USING INDEX milestones_next_check/);
		expect(details).not.toMatch(/SCAN milestones/);
	});
});
