// The deadline sweep when things fail: a binding that refuses and recovers or never does, a run
// that dies holding a lease, D1 failing mid-run or right after a send, a milestone the planner
// cannot read, and silences or state changes that arrive while an alert is waiting.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { claim, enqueueStatements, LEASE_MS } from "../../worker/alerts/ledger";
import { sendPending } from "../../worker/alerts/send";
import { createSilence, endSilence } from "../../worker/alerts/silences";
import { runSweep } from "../../worker/alerts/sweep";
import { QueryBudget } from "../../worker/db/budget";
import { milestones } from "../../worker/db/schema";
import { updateMilestone } from "../../worker/milestones/queries";
import { getStatus } from "../../worker/status/queries";
import { config, DAY, HOUR, ledgerOf, scenario, sweepAt } from "../support/alerts";
import { db } from "../support/db";
import { FakeEmail } from "../support/fake-email";

const DUE = Date.UTC(2031, 2, 1, 12);
const MIN = 60_000;

describe("sending failures", () => {
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
		const first = DUE - DAY + MIN;
		const sweeps = config.alerts.maxAttempts + 1;
		const end = first + sweeps * 7 * HOUR;
		// Other tests in this file leave failed rows too: count them at the same instant, before.
		const before = await getStatus(db, new Date(end));
		for (let i = 0; i < sweeps; i++) await sweepAt(mail, first + i * 7 * HOUR);
		const rows = await ledgerOf(bad.email);
		expect([rows[0]?.offset, rows[0]?.status, rows[0]?.attempts]).toEqual(["P1D", "failed", config.alerts.maxAttempts]);
		// The overdue alert crossed on the way is still being retried, so only the P1D one has given up.
		expect(rows.filter((r) => r.status === "failed")).toHaveLength(1);
		expect(mail.to(good.email)).toHaveLength(1);
		const status = await getStatus(db, new Date(end));
		expect(status.alerts.failed).toBe(before.alerts.failed + 1);
		expect(status.status).toBe("degraded");
	});
});

describe("sweep recovery", () => {
	it("rows claimed by a run that died are left alone until the lease ends, then sent once", async () => {
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
		const counts = await runSweep({ db, config, email: mail, now: new Date(t), queries: new QueryBudget() });
		expect(counts.planning_errors).toBeGreaterThanOrEqual(1);
		expect(mail.to(good.email).map((m) => m.subject)).toEqual([expect.stringMatching(/due in 6 days 23 hours$/)]);
		const after = await db.query.milestones.findFirst({ where: eq(milestones.id, bad?.id ?? 0) });
		expect(after?.nextCheckAt?.getTime()).toBe(t + 3_600_000);
	});

	it("D1 failing mid-run loses and duplicates nothing: the next run picks up", async () => {
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
		await expect(runSweep({ db: flaky, config, email: mail, now: new Date(t), queries: new QueryBudget() })).rejects.toThrow(/Network connection lost/);
		await sweepAt(mail, t + 10 * MIN);
		await sweepAt(mail, t + 20 * MIN);
		expect(mail.to(email)).toHaveLength(1);
		expect((await ledgerOf(email)).map((r) => [r.offset, r.status])).toEqual([["P1D", "sent"]]);
	});

	it("a D1 failure right after a successful send is not a send failure: the row keeps its lease", async () => {
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
		const counts = await sendPending({ db: flaky, config, email: mail, now: new Date(t), queries: new QueryBudget() });
		expect(mail.to(email)).toHaveLength(1);
		expect(counts.retrying + counts.failed).toBe(0);
		const [row] = await ledgerOf(email);
		expect([row?.status, row?.attempts, row?.lastError, row?.leaseUntil?.getTime()]).toEqual(["pending", 1, null, t + LEASE_MS]);
	});

	it("ending a silence early wakes the milestones it covered", async () => {
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
