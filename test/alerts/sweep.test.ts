import { createScheduledController, env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createSilence } from "../../worker/alerts/silences";
import { milestones } from "../../worker/db/schema";
import { updateMilestone } from "../../worker/milestones/queries";
import { runScheduled } from "../../worker/scheduled";
import { getStatus } from "../../worker/status/queries";
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
			expect.stringMatching(/: slipped to by 30 April 2031, 12:00 UTC$/),
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
		const controller = createScheduledController({ cron: "*/10 * * * *", scheduledTime: DUE - 12 * HOUR });
		await Promise.all([runScheduled(controller, testEnv, new Date(DUE - 12 * HOUR)), runScheduled(controller, testEnv, new Date(DUE - 12 * HOUR + 1000))]);
		await runScheduled(controller, testEnv, new Date(DUE - 11 * HOUR));
		expect(mail.to(first.email)).toHaveLength(1);
		expect(mail.to(second.email)).toHaveLength(1);
		expect((await ledgerOf(first.email)).map((r) => [r.offset, r.status, r.attempts])).toEqual([["P1D", "sent", 1]]);
	});

	it("a binding that fails twice then recovers sends exactly once, with backoff between tries", async () => {
		const { email } = await scenario(DUE, DUE - 40 * DAY);
		const mail = new FakeEmail();
		mail.failFor(email, 2, "E_RATE_LIMIT_EXCEEDED");
		const t0 = DUE - 7 * DAY + MIN;
		await sweepAt(mail, t0);
		let [row] = await ledgerOf(email);
		expect([row?.status, row?.attempts, row?.lastError, row?.nextAttemptAt.getTime()]).toEqual([
			"pending",
			1,
			"E_RATE_LIMIT_EXCEEDED: send failed (E_RATE_LIMIT_EXCEEDED)",
			t0 + config.alerts.backoffMs,
		]);
		await sweepAt(mail, t0 + MIN); // too early for the retry
		expect((await ledgerOf(email))[0]?.attempts).toBe(1);
		await sweepAt(mail, t0 + config.alerts.backoffMs);
		await sweepAt(mail, t0 + 4 * config.alerts.backoffMs);
		await sweepAt(mail, t0 + 8 * config.alerts.backoffMs);
		[row] = await ledgerOf(email);
		expect(mail.to(email)).toHaveLength(1);
		expect([row?.status, row?.attempts, row?.messageId]).toEqual(["sent", 3, expect.stringMatching(/^<fake-/)]);
	});

	it("gives up after the configured attempts, shows it in /status, and one failing recipient does not stall others", async () => {
		const bad = await scenario(DUE, DUE - 40 * DAY);
		const good = await scenario(DUE + 10 * DAY, DUE - 40 * DAY);
		const mail = new FakeEmail();
		mail.failFor(bad.email, 100, "E_DELIVERY_FAILED");
		let t = DUE - DAY + MIN;
		for (let i = 0; i < config.alerts.maxAttempts + 1; i++, t += 7 * HOUR) await sweepAt(mail, t);
		const [row] = await ledgerOf(bad.email);
		expect([row?.status, row?.attempts]).toEqual(["failed", config.alerts.maxAttempts]);
		expect(mail.to(good.email)).toHaveLength(1);
		const status = await getStatus(db, new Date(t));
		expect(status.alerts.failed).toBeGreaterThan(0);
		expect(status.status).toBe("degraded");
	});
});

async function createMilestoneFor(tag: string, dueAt: number) {
	const { createMilestone } = await import("../../worker/milestones/queries");
	return createMilestone(db, { title: `Urgent ${tag}`, due: new Date(dueAt).toISOString(), tags: [tag] }, "UTC", new Date(DUE - 40 * DAY));
}

describe("sweep recovery", () => {
	it("rows claimed by a run that died are left alone until the lease ends, then sent once", async () => {
		const { claim, enqueueStatements, LEASE_MS } = await import("../../worker/alerts/ledger");
		const { email, milestone, subscriber } = await scenario(DUE + 3 * DAY, DUE - 40 * DAY);
		const t0 = DUE - 4 * DAY;
		// A run planned P7D and claimed it, then died before sending.
		await Promise.all(
			enqueueStatements(
				db,
				[{ kind: "deadline", milestoneId: milestone.id, zoneId: null, offset: "P7D", dueAt: milestone.dueAt, subscriberId: subscriber.id, recipient: email }],
				new Date(t0),
			),
		);
		const [row] = await ledgerOf(email);
		expect((await claim(db, [row?.id ?? 0], new Date(t0))).rows).toHaveLength(1);
		const mail = new FakeEmail();
		await sweepAt(mail, t0 + MIN);
		expect(mail.to(email)).toHaveLength(0);
		await sweepAt(mail, t0 + LEASE_MS);
		await sweepAt(mail, t0 + LEASE_MS + 10 * MIN);
		expect(mail.to(email)).toHaveLength(1);
		expect((await ledgerOf(email)).map((r) => [r.offset, r.status, r.attempts])).toEqual([["P7D", "sent", 2]]);
	});

	it("an alert still retrying when its milestone is marked met is dropped, not sent", async () => {
		const { email, milestone } = await scenario(DUE, DUE - 40 * DAY);
		const mail = new FakeEmail();
		mail.failFor(email, 1);
		await sweepAt(mail, DUE - 7 * DAY + MIN);
		expect((await ledgerOf(email)).map((r) => r.status)).toEqual(["pending"]);
		await updateMilestone(db, String(milestone.id), { status: "met" }, new Date(DUE - 7 * DAY + 2 * MIN));
		await sweepAt(mail, DUE - 6 * DAY);
		expect(mail.to(email)).toHaveLength(0);
		expect(await ledgerOf(email)).toEqual([]);
	});

	it("a milestone the planner cannot read is set aside without stalling the others", async () => {
		const { runSweep } = await import("../../worker/alerts/sweep");
		const good = await scenario(DUE, DUE - 40 * DAY);
		const [bad] = await db
			.insert(milestones)
			.values({
				slug: `bad-${good.tag}`,
				title: "Corrupt",
				due: "2031-03",
				precision: "month",
				timezone: "UTC",
				dueAt: new Date(DUE),
				alertOffsets: ["P1M!"],
				tags: [good.tag],
				nextCheckAt: new Date(DUE - 8 * DAY),
				updatedAt: new Date(DUE - 8 * DAY),
			})
			.returning();
		const mail = new FakeEmail();
		const t = DUE - 7 * DAY + MIN;
		const counts = await runSweep({ db, config, email: mail, now: new Date(t) });
		expect(counts.planning_errors).toBeGreaterThanOrEqual(1);
		expect(mail.to(good.email).map((m) => m.subject)).toEqual([expect.stringMatching(/due in 6 days 23 hours$/)]);
		const after = await db.query.milestones.findFirst({ where: eq(milestones.id, bad?.id ?? 0) });
		expect(after?.nextCheckAt?.getTime()).toBe(t + 3_600_000);
	});

	it("D1 failing mid-run loses and duplicates nothing: the next run picks up", async () => {
		const { runSweep } = await import("../../worker/alerts/sweep");
		const { email } = await scenario(DUE, DUE - 40 * DAY);
		let outage = true;
		const flaky = new Proxy(db, {
			get(target, prop, receiver) {
				if (prop === "batch" && outage) {
					outage = false;
					return async () => {
						throw new Error("D1_ERROR: Network connection lost.");
					};
				}
				return Reflect.get(target, prop, receiver);
			},
		});
		const mail = new FakeEmail();
		const t = DUE - DAY + MIN;
		await expect(runSweep({ db: flaky, config, email: mail, now: new Date(t) })).rejects.toThrow(/Network connection lost/);
		await sweepAt(mail, t + 10 * MIN);
		await sweepAt(mail, t + 20 * MIN);
		expect(mail.to(email)).toHaveLength(1);
		expect((await ledgerOf(email)).map((r) => [r.offset, r.status])).toEqual([["P1D", "sent"]]);
	});

	it("a D1 failure right after a successful send is not a send failure: the row keeps its lease", async () => {
		const { sendPending } = await import("../../worker/alerts/send");
		const { enqueueStatements, LEASE_MS } = await import("../../worker/alerts/ledger");
		const { email, milestone, subscriber } = await scenario(DUE + 30 * DAY, DUE - 40 * DAY);
		const t = DUE - 4 * DAY;
		await Promise.all(
			enqueueStatements(
				db,
				[{ kind: "deadline", milestoneId: milestone.id, zoneId: null, offset: "P30D", dueAt: milestone.dueAt, subscriberId: subscriber.id, recipient: email }],
				new Date(t),
			),
		);
		const mail = new FakeEmail();
		// Fail every UPDATE once the message is out (the mark-sent), as a D1 outage would.
		const flaky = new Proxy(db, {
			get(target, prop, receiver) {
				if (prop === "update" && mail.to(email).length > 0) throw new Error("D1_ERROR: Network connection lost.");
				return Reflect.get(target, prop, receiver);
			},
		});
		const counts = await sendPending({ db: flaky, config, email: mail, now: new Date(t) });
		expect(mail.to(email)).toHaveLength(1);
		expect(counts.retrying + counts.failed).toBe(0);
		const [row] = await ledgerOf(email);
		expect([row?.status, row?.attempts, row?.lastError, row?.leaseUntil?.getTime()]).toEqual(["pending", 1, null, t + LEASE_MS]);
	});

	it("ending a silence early wakes the milestones it covered", async () => {
		const { endSilence } = await import("../../worker/alerts/silences");
		const { email, milestone, tag } = await scenario(DUE, DUE - 40 * DAY);
		const silence = await createSilence(db, { tag, until: new Date(DUE + DAY).toISOString(), reason: "quiet" }, new Date(DUE - 31 * DAY));
		const mail = new FakeEmail();
		await sweepAt(mail, DUE - 30 * DAY + MIN);
		expect((await db.query.milestones.findFirst({ where: eq(milestones.id, milestone.id) }))?.nextCheckAt?.getTime()).toBe(DUE + DAY);
		await endSilence(db, String(silence.id), new Date(DUE - 2 * DAY));
		await sweepAt(mail, DUE - 2 * DAY + MIN);
		expect(mail.to(email).map((m) => m.subject)).toEqual([expect.stringMatching(/due in 1 day 23 hours$/)]);
	});
});

describe("sweep cost", () => {
	it("finds due milestones through the next_check_at index, not by scanning milestones", async () => {
		const { dueMilestones } = await import("../../worker/alerts/sweep");
		const query = dueMilestones(db, new Date(DUE), 50).toSQL();
		const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${query.sql}`)
			.bind(...query.params)
			.all<{ detail: string }>();
		const details = plan.results.map((r) => r.detail).join(" | ");
		expect(details).toMatch(/SEARCH milestones USING INDEX milestones_next_check/);
		expect(details).not.toMatch(/SCAN milestones/);
	});
});
