// A sweep is one Worker invocation, and D1 allows one invocation 1,000 queries (Workers Paid):
// a run counts its round trips and leaves what would not fit for the next minute's run.
import { env } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { sendPending, sendRoundTrips } from "../../worker/alerts/send";
import { SWEEP } from "../../worker/cron/jobs";
import { counted, D1_QUERIES_PER_INVOCATION, QueryBudget } from "../../worker/db/budget";
import { createDb } from "../../worker/db/client";
import { cronRuns } from "../../worker/db/schema";
import { runScheduled } from "../../worker/scheduled";
import { createSubscriber } from "../../worker/subscribers/queries";
import { config, DAY, HOUR, scenario, sweepAt } from "../support/alerts";
import { db } from "../support/db";
import { FakeEmail } from "../support/fake-email";
import { type FaultPlan, faultyD1 } from "../support/faulty-d1";
import { createZone } from "../support/zones";

const MIN = 60_000;

describe("the D1 round trips of a sweep", () => {
	it("stay within one invocation's 1,000: what does not fit waits a minute, and every alert goes out once", async () => {
		// Minute 17 past the hour in 2003: no chore falls on it.
		const at = Date.UTC(2003, 0, 1, 0, 17);
		const due = at + 2 * HOUR;
		const created = new Date(due - 10 * DAY);
		const { tag, email } = await scenario(due, created.getTime(), { alert_offsets: ["PT3H"] });
		const emails = [email];
		for (let i = 0; i < 299; i++) emails.push((await createSubscriber(db, { email: `${tag}-${i}@example.org`, tags: [tag], digest: false }, created)).email);
		const mail = new FakeEmail();
		const runs: { trips: number; deferred: unknown; error: string | null }[] = [];
		for (let run = 0; run < 6; run++) {
			const t = at + run * MIN;
			const plan: FaultPlan = { failAt: 0, calls: 0 };
			await runScheduled({ cron: SWEEP.cron, scheduledTime: t }, { ...env, DB: faultyD1(env.DB, plan), EMAIL: mail }, new Date(t));
			const [row] = await db
				.select()
				.from(cronRuns)
				.where(and(eq(cronRuns.job, "sweep"), eq(cronRuns.scheduledTime, new Date(t))));
			runs.push({ trips: plan.calls, deferred: row?.counts?.deferred ?? null, error: row?.error ?? null });
		}
		for (const r of runs) expect(r.trips).toBeLessThanOrEqual(D1_QUERIES_PER_INVOCATION);
		expect(runs.map((r) => r.error)).toEqual(runs.map(() => null));
		// 300 sends of one row do not fit in one run: the first leaves some for the next.
		expect(runs[0]?.deferred).toBeGreaterThan(0);
		expect(runs[0]?.trips).toBeGreaterThan(D1_QUERIES_PER_INVOCATION / 2);
		for (const to of emails) expect(mail.to(to), to).toHaveLength(1);
	});

	it("of one send are no more than the send's estimate, for the dearest rows (a milestone tagged with a zone)", async () => {
		// Before the first test's milestone comes near: only this row is pending.
		const at = Date.UTC(2002, 11, 20, 0, 17);
		const due = at + 2 * HOUR;
		const zone = await createZone();
		const { email } = await scenario(due, due - 10 * DAY, { alert_offsets: ["PT3H"], tags: [zone.slug] });
		// The first send fails: the row stays pending, to be sent again later.
		const mail = new FakeEmail();
		mail.failFor(email, 1);
		await sweepAt(mail, at);
		expect(mail.to(email)).toHaveLength(0);
		const queries = new QueryBudget();
		const counts = await sendPending({ db: createDb(counted(env.DB, queries)), config, email: mail, now: new Date(at + HOUR), queries });
		expect(counts).toMatchObject({ emails: 1, sent: 1, deferred: 0 });
		expect(mail.to(email)).toHaveLength(1);
		// One query found the pending rows; the rest is the send.
		expect(queries.used - 1).toBeLessThanOrEqual(sendRoundTrips(1));
		expect(queries.used - 1).toBeGreaterThanOrEqual(sendRoundTrips(1) - 2);
	});

	it("are counted whether a statement runs alone or in a batch, which D1 gets as its own statements", async () => {
		const queries = new QueryBudget(3);
		const d1 = counted(env.DB, queries);
		expect(await d1.prepare("SELECT ?1 AS x").bind(7).first("x")).toBe(7);
		const [a, b] = await d1.batch<{ x: number }>([d1.prepare("SELECT 1 AS x"), d1.prepare("SELECT ?1 AS x").bind(2)]);
		expect([a?.results[0]?.x, b?.results[0]?.x]).toEqual([1, 2]);
		expect(queries.used).toBe(2);
		expect([queries.allows(1), queries.allows(2)]).toEqual([true, false]);
	});
});
