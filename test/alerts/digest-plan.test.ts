// Planning the daily digest: which subscribers have something new is asked for all of them in one
// query (withNews), which must agree with the window a digest is built from (inDigest), and costs
// a few D1 round trips however many subscribers take the digest.
import { env } from "cloudflare:test";
import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { digestWindow, inDigest, withNews } from "../../worker/alerts/digest-window";
import { DIGEST } from "../../worker/cron/jobs";
import { cronRuns, incidents, type SubscriberRow, zones } from "../../worker/db/schema";
import { runScheduled } from "../../worker/scheduled";
import { createSubscriber } from "../../worker/subscribers/queries";
import { DAY, HOUR } from "../support/alerts";
import { db } from "../support/db";
import { FakeEmail } from "../support/fake-email";
import { type FaultPlan, faultyD1 } from "../support/faulty-d1";
import { insertIncident, insertSource, insertZone } from "../support/incident-rows";

const T = Date.UTC(2001, 5, 1, 6);

describe("planning the digest", () => {
	it("finds news for exactly the subscribers whose window and zones hold a counted incident", async () => {
		const [a, b, c] = [await insertZone("A"), await insertZone("B"), await insertZone("C")];
		const source = await insertSource();
		// In A: inside most windows. In B: only a retracted and a rejected one. In C: one, too old for a day's window.
		await insertIncident(source.id, { occurredAt: new Date(T - 5 * HOUR), zoneId: a.id });
		await insertIncident(source.id, { occurredAt: new Date(T - 2 * HOUR), zoneId: b.id, retractedAt: new Date(T - HOUR) });
		await insertIncident(source.id, { occurredAt: new Date(T - 3 * HOUR), zoneId: b.id, verification: "rejected" });
		await insertIncident(source.id, { occurredAt: new Date(T - 3 * DAY), zoneId: c.id });
		const filters = [[], [a.slug], [b.slug], [c.slug], [b.slug, c.slug], [a.slug, b.slug], ["nowhere"]];
		const lasts = [null, new Date(T - 4 * HOUR), new Date(T - 6 * HOUR), new Date(T - 4 * DAY), new Date(T)];
		const subs: SubscriberRow[] = [];
		for (const [i, zs] of filters.entries()) {
			for (const [j, last] of lasts.entries()) {
				const s = await createSubscriber(
					db,
					{ email: `d-${i}-${j}@example.org`, zones: zs.filter((z) => z !== "nowhere"), digest: true },
					new Date(T - 10 * DAY),
				);
				subs.push({ ...s, zones: zs, lastDigestAt: last });
			}
		}
		const expected = new Set<number>();
		for (const s of subs) {
			const [row] = await db
				.select({ n: count() })
				.from(incidents)
				.leftJoin(zones, eq(zones.id, incidents.zoneId))
				.where(inDigest(digestWindow(s, new Date(T)), s));
			if ((row?.n ?? 0) > 0) expected.add(s.id);
		}
		expect(expected.size).toBeGreaterThan(5);
		expect(expected.size).toBeLessThan(subs.length - 5);
		expect([...(await withNews(db, subs, new Date(T)))].sort((x, y) => x - y)).toEqual([...expected].sort((x, y) => x - y));
	});

	it("costs a few D1 round trips for 300 subscribers, plans one digest each and leaves the run its sending", async () => {
		const at = Date.UTC(2001, 6, 1, 6);
		const zone = await insertZone("Busy");
		const source = await insertSource();
		await insertIncident(source.id, { occurredAt: new Date(at - 2 * HOUR), zoneId: zone.id });
		for (let i = 0; i < 300; i++) await createSubscriber(db, { email: `many-${i}@example.org`, zones: [zone.slug], digest: true }, new Date(at - 10 * DAY));
		const plan: FaultPlan = { failAt: 0, calls: 0 };
		const mail = new FakeEmail();
		await runScheduled({ cron: DIGEST.cron, scheduledTime: at }, { ...env, DB: faultyD1(env.DB, plan), EMAIL: mail }, new Date(at));
		const [run] = await db
			.select()
			.from(cronRuns)
			.where(eq(cronRuns.scheduledTime, new Date(at)));
		expect(run?.error).toBeNull();
		expect(run?.counts?.digests_planned).toBeGreaterThanOrEqual(300);
		expect(plan.calls).toBeLessThanOrEqual(1_000);
		// Planning one subscriber at a time (3 round trips each) left room for 12 emails in the run.
		expect(run?.counts?.emails).toBeGreaterThan(150);
		expect(mail.to("many-0@example.org")).toHaveLength(1);
	});
});
