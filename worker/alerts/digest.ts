/**
 * The daily digest: for each subscriber with digest on, one ledger row when there are new
 * incidents since their last digest (nothing new: nothing sent), then sends what is pending, as
 * the sweep does. Planning is a few D1 round trips whatever the number of subscribers: a run is
 * one invocation, which D1 allows 1,000 queries (db/budget.ts).
 */
import { and, eq, isNull } from "drizzle-orm";
import type { JobContext, JobCounts } from "../cron/jobs";
import { alerts, subscribers } from "../db/schema";
import { digestDueAt, withNews } from "./digest-window";
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
	// A digest still pending covers its window already (it is built when sent).
	const waiting = await db
		.select({ id: alerts.subscriberId })
		.from(alerts)
		.where(and(eq(alerts.kind, "digest"), eq(alerts.status, "pending")));
	const covered = new Set(waiting.map((w) => w.id));
	const open = subs.filter((s) => !covered.has(s.id));
	const news = await withNews(db, open, until);
	const rows: NewAlert[] = open
		.filter((s) => news.has(s.id))
		.map((s) => ({ kind: "digest", milestoneId: null, zoneId: null, offset: null, dueAt: until, subscriberId: s.id, recipient: s.email }));
	const [first, ...rest] = enqueueStatements(db, rows, now);
	if (first) await db.batch([first, ...rest]);
	const planned = rows.length;
	const sending = await sendPending(ctx);
	return { digests_planned: planned, ...sending };
}
