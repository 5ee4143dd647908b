/**
 * The daily digest: for each subscriber with digest on, one ledger row when there are new
 * incidents since their last digest (nothing new: nothing sent), then sends what is pending, as
 * the sweep does.
 */
import { and, count, eq, isNull } from "drizzle-orm";
import type { JobContext, JobCounts } from "../cron/jobs";
import { alerts, incidents, subscribers, zones } from "../db/schema";
import { digestDueAt, digestWindow, inDigest } from "./digest-window";
import { enqueueStatements, type NewAlert } from "./ledger";
import { sendPending } from "./send";

/** The digest job's body. */
export async function runDigest(ctx: JobContext): Promise<JobCounts> {
	const { db, now } = ctx;
	const until = digestDueAt(now);
	const subs = await db
		.select()
		.from(subscribers)
		.where(and(eq(subscribers.digest, true), eq(subscribers.paused, false), isNull(subscribers.unsubscribedAt), isNull(subscribers.suppressedAt)));
	let planned = 0;
	for (const s of subs) {
		// A digest still pending covers this window already (it is built when sent).
		const waiting = await db.query.alerts.findFirst({
			where: and(eq(alerts.subscriberId, s.id), eq(alerts.kind, "digest"), eq(alerts.status, "pending")),
			columns: { id: true },
		});
		if (waiting) continue;
		const window = digestWindow(s, until);
		if (window.since.getTime() >= until.getTime()) continue;
		const [fresh] = await db.select({ n: count() }).from(incidents).leftJoin(zones, eq(zones.id, incidents.zoneId)).where(inDigest(window, s));
		if (!fresh || fresh.n === 0) continue;
		const row: NewAlert = { kind: "digest", milestoneId: null, zoneId: null, offset: null, dueAt: until, subscriberId: s.id, recipient: s.email };
		const [insert] = enqueueStatements(db, [row], now);
		if (insert) await insert;
		planned++;
	}
	const sending = await sendPending(ctx);
	return { digests_planned: planned, ...sending };
}
