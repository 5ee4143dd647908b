// A sweep is one Worker invocation, and D1 allows one invocation 1,000 queries (Workers Paid):
// a run counts its round trips and leaves what would not fit for the next minute's run.
import { env } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { enqueueStatements, type NewAlert } from "../../worker/alerts/ledger";
import { AFTER_SENDING, channelRoundTrips, sendPending, sendRoundTrips } from "../../worker/alerts/send";
import { SWEEP } from "../../worker/cron/jobs";
import { counted, D1_QUERIES_PER_INVOCATION, QueryBudget } from "../../worker/db/budget";
import { createDb, type Db } from "../../worker/db/client";
import { alerts, cronRuns } from "../../worker/db/schema";
import { createMilestone } from "../../worker/milestones/queries";
import { runScheduled } from "../../worker/scheduled";
import { createSubscriber } from "../../worker/subscribers/queries";
import { config, DAY, HOUR, scenario, sweepAt } from "../support/alerts";
import { db } from "../support/db";
import { FakeEmail } from "../support/fake-email";
import { type FaultPlan, faultyD1 } from "../support/faulty-d1";
import { createChannel, FakeReceivers, webhookUrl } from "../support/receivers";
import { createZone } from "../support/zones";

const MIN = 60_000;

/** Runs statements as one D1 batch. */
async function batchOf(on: Db, statements: ReturnType<typeof enqueueStatements>) {
	const [first, ...rest] = statements;
	if (first) await on.batch([first, ...rest]);
}

describe("the D1 round trips of a sweep", () => {
	/**
	 * 300 subscribers whose alert comes due at once, and the sweep run each minute from `at`: each
	 * run's round trips, what it deferred and its error, and whether everyone was mailed once.
	 */
	async function dueAtOnce(at: number, env_: Partial<typeof env> = {}) {
		const due = at + 2 * HOUR;
		const created = new Date(due - 10 * DAY);
		const { tag, email } = await scenario(due, created.getTime(), { alert_offsets: ["PT3H"] });
		const emails = [email];
		for (let i = 0; i < 299; i++) emails.push((await createSubscriber(db, { email: `${tag}-${i}@example.org`, tags: [tag], digest: false }, created)).email);
		const mail = new FakeEmail();
		const runs: { trips: number; counts: Record<string, unknown> | null; error: string | null }[] = [];
		for (let run = 0; run < 6; run++) {
			const t = at + run * MIN;
			const plan: FaultPlan = { failAt: 0, calls: 0 };
			await runScheduled({ cron: SWEEP.cron, scheduledTime: t }, { ...env, ...env_, DB: faultyD1(env.DB, plan), EMAIL: mail }, new Date(t));
			const [row] = await db
				.select()
				.from(cronRuns)
				.where(and(eq(cronRuns.job, "sweep"), eq(cronRuns.scheduledTime, new Date(t))));
			runs.push({ trips: plan.calls, counts: row?.counts ?? null, error: row?.error ?? null });
		}
		return { runs, everyoneOnce: emails.every((to) => mail.to(to).length === 1) };
	}

	it("stay within one invocation's 1,000: what does not fit waits a minute, and every alert goes out once", async () => {
		// Minute 17 past the hour in 2003: no chore falls on it.
		const { runs, everyoneOnce } = await dueAtOnce(Date.UTC(2003, 0, 1, 0, 17));
		for (const r of runs) expect(r.trips).toBeLessThanOrEqual(D1_QUERIES_PER_INVOCATION);
		expect(runs.map((r) => r.error)).toEqual(runs.map(() => null));
		// 300 sends of one row do not fit in one run: the first leaves some for the next.
		expect(runs[0]?.counts?.deferred).toBeGreaterThan(0);
		expect(runs[0]?.trips).toBeGreaterThan(D1_QUERIES_PER_INVOCATION / 2);
		expect(everyoneOnce).toBe(true);
	});

	it("stay within 1,000 at the hour too, where every chore and the retention follow a run's sending in what it kept back", async () => {
		// The hour after the first test's run (its rows all sent; the later tests' sweeps, in 2002, see
		// this milestone far ahead); a retention, so that it runs as well.
		const { runs, everyoneOnce } = await dueAtOnce(Date.UTC(2003, 0, 1, 1, 0), { RETAIN_INCIDENTS_DAYS: "3650" });
		const first = runs[0];
		expect(first?.error).toBeNull();
		expect(first?.counts).toHaveProperty("hourly_buckets_tidied");
		expect(first?.counts).toHaveProperty("ingest_failures_pruned");
		expect(first?.counts?.deferred).toBeGreaterThan(0);
		expect(first?.trips).toBeGreaterThan(D1_QUERIES_PER_INVOCATION - AFTER_SENDING - 20);
		for (const r of runs) expect(r.trips).toBeLessThanOrEqual(D1_QUERIES_PER_INVOCATION);
		expect(runs.map((r) => r.error)).toEqual(runs.map(() => null));
		expect(everyoneOnce).toBe(true);
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

	it("of one webhook channel's send are no more than a channel send's estimate (each row delivered and marked alone)", async () => {
		// Before the other tests' milestones come near: only these rows are pending.
		const at = Date.UTC(2002, 11, 10, 0, 17);
		const due = at + 2 * HOUR;
		// Tagged with a zone: each row reads its related zones and their incidents, the dearest rows.
		const zone = await createZone();
		const { tag } = await scenario(due, due - 10 * DAY, { alert_offsets: ["PT3H"], tags: [zone.slug] });
		for (let i = 0; i < 2; i++)
			await createMilestone(
				db,
				{ title: `More ${i}`, due: new Date(due).toISOString(), tags: [tag, zone.slug], alert_offsets: ["PT3H"] },
				"UTC",
				new Date(due - 10 * DAY),
			);
		const hook = webhookUrl();
		await createChannel({ kind: "webhook", name: "hook", url: hook, tags: [tag] });
		const receivers = new FakeReceivers().install();
		const down = () => new Response("down", { status: 503 });
		receivers.answer(hook, down, down, down);
		await sweepAt(new FakeEmail(), at);
		expect(receivers.to(hook)).toHaveLength(3);
		const queries = new QueryBudget();
		const counts = await sendPending({ db: createDb(counted(env.DB, queries)), config, email: new FakeEmail(), now: new Date(at + HOUR), queries });
		expect(counts).toMatchObject({ messages: 3, sent: 3, deferred: 0 });
		expect(receivers.to(hook)).toHaveLength(6);
		// One query found the pending rows; the rest is the channel's send.
		expect(queries.used - 1).toBeLessThanOrEqual(channelRoundTrips(3));
		expect(queries.used - 1).toBeGreaterThan(sendRoundTrips(3));
	});

	it("let a channel's send start once what is left fits its most, counting the sends under way: more than reckoning them all in advance, never past the limit", async () => {
		// Before every other test's rows are due (the earliest, the planning test's, in May 2002): only these rows are pending.
		const at = Date.UTC(2002, 2, 10, 0, 17);
		const due = at + 2 * HOUR;
		const { milestone, tag } = await scenario(due, due - 10 * DAY, { alert_offsets: ["PT3H"] });
		const hooks: string[] = [];
		const rows: NewAlert[] = [];
		for (let i = 0; i < 12; i++) {
			const url = webhookUrl();
			const channel = await createChannel({ kind: "webhook", name: `hook ${i}`, url, tags: [tag] });
			hooks.push(url);
			rows.push({
				kind: "deadline",
				milestoneId: milestone.id,
				zoneId: null,
				offset: "PT3H",
				dueAt: new Date(due),
				subscriberId: null,
				channelId: channel.id,
				recipient: `channel:${channel.id}`,
			});
		}
		await batchOf(db, enqueueStatements(db, rows, new Date(at)));
		const receivers = new FakeReceivers().install();
		/** A run's sending under a limit that fits the pending rows' query, the reserve, and `inAdvance` sends' most, reckoned in advance. */
		const runWith = async (inAdvance: number, minute: number) => {
			const limit = 1 + AFTER_SENDING + channelRoundTrips(1) * (inAdvance + 1) - 1;
			const queries = new QueryBudget(limit);
			const counts = await sendPending({
				db: createDb(counted(env.DB, queries)),
				config,
				email: new FakeEmail(),
				now: new Date(at + HOUR + minute * MIN),
				queries,
			});
			return { counts, used: queries.used, limit };
		};
		let left = 12;
		// Tight: a send that forgot the sends under way would start six at once and overrun.
		const tight = await runWith(1, 0);
		expect(tight.counts.messages).toBeGreaterThanOrEqual(1);
		expect(tight.used).toBeLessThanOrEqual(tight.limit - AFTER_SENDING);
		expect(tight.counts.messages + tight.counts.deferred).toBe(left);
		left -= tight.counts.messages;
		// Roomier: what a finished send did not use goes to the next, so more than four fit.
		const roomy = await runWith(4, 1);
		expect(roomy.counts.messages).toBeGreaterThan(4);
		expect(roomy.used).toBeLessThanOrEqual(roomy.limit - AFTER_SENDING);
		expect(roomy.counts.messages + roomy.counts.deferred).toBe(left);
		left -= roomy.counts.messages;
		// The next run sends the rest: every channel gets its message once.
		const rest = await sendPending({ db, config, email: new FakeEmail(), now: new Date(at + HOUR + 2 * MIN), queries: new QueryBudget() });
		expect(rest).toMatchObject({ messages: left, deferred: 0 });
		for (const hook of hooks) expect(receivers.to(hook), hook).toHaveLength(1);
	});

	it("of planning are one statement for a milestone crossed for hundreds of recipients, each row as one alone would be", async () => {
		const created = new Date(Date.UTC(2002, 0, 1));
		const { milestone, tag } = await scenario(Date.UTC(2002, 5, 1), created.getTime());
		const people = [];
		for (let i = 0; i < 300; i++) people.push(await createSubscriber(db, { email: `${tag}-e${i}@example.org`, tags: [tag], digest: false }, created));
		const now = new Date(Date.UTC(2002, 4, 1));
		const rows: NewAlert[] = people.map((p) => ({
			kind: "deadline",
			milestoneId: milestone.id,
			zoneId: null,
			offset: "P30D",
			dueAt: new Date(milestone.dueAt),
			subscriberId: p.id,
			recipient: p.email,
		}));
		const statements = enqueueStatements(db, rows, now);
		expect(statements).toHaveLength(1);
		const queries = new QueryBudget();
		const counting = createDb(counted(env.DB, queries));
		// Twice, the second time with a new row: the keys already there are left as they are.
		await batchOf(counting, statements);
		const extra = await createSubscriber(db, { email: `${tag}-extra@example.org`, tags: [tag], digest: false }, created);
		const more = [...rows, { ...rows[0], subscriberId: extra.id, recipient: extra.email } as NewAlert];
		await batchOf(counting, enqueueStatements(counting, more, new Date(now.getTime() + HOUR)));
		expect(queries.used).toBe(2);
		const written = await db.select().from(alerts).where(eq(alerts.milestoneId, milestone.id)).orderBy(alerts.id);
		expect(written).toHaveLength(301);
		expect(new Set(written.map((r) => r.dedupeKey)).size).toBe(301);
		expect(written[0]).toMatchObject({
			kind: "deadline",
			offset: "P30D",
			dueAt: new Date(milestone.dueAt),
			subscriberId: people[0]?.id,
			channelId: null,
			recipient: people[0]?.email,
			status: "pending",
			attempts: 0,
			nextAttemptAt: now,
			leaseUntil: null,
			lastError: null,
			createdAt: now,
			sentAt: null,
		});
		expect(written[300]).toMatchObject({ recipient: extra.email, createdAt: new Date(now.getTime() + HOUR) });
	});

	it("are counted whether a statement runs alone, in a batch (which D1 gets as its own statements) or in a session", async () => {
		const queries = new QueryBudget(4);
		const d1 = counted(env.DB, queries);
		expect(await d1.prepare("SELECT ?1 AS x").bind(7).first("x")).toBe(7);
		const [a, b] = await d1.batch<{ x: number }>([d1.prepare("SELECT 1 AS x"), d1.prepare("SELECT ?1 AS x").bind(2)]);
		expect([a?.results[0]?.x, b?.results[0]?.x]).toEqual([1, 2]);
		expect(queries.used).toBe(2);
		expect(await d1.withSession("first-unconstrained").prepare("SELECT 3 AS x").first("x")).toBe(3);
		expect(queries.used).toBe(3);
		expect([queries.allows(1), queries.allows(2)]).toEqual([true, false]);
	});
});
