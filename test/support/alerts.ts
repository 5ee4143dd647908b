// Milestones and the alerts they cause: a milestone with a subscriber of its own, a sweep at a
// frozen instant, and the ledger rows one recipient got.
import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { runSweep } from "../../worker/alerts/sweep";
import { QueryBudget } from "../../worker/db/budget";
import { alerts, subscribers } from "../../worker/db/schema";
import { loadConfig } from "../../worker/env";
import { createMilestone } from "../../worker/milestones/queries";
import type { CreateMilestoneInput } from "../../worker/milestones/schema";
import { createSubscriber } from "../../worker/subscribers/queries";
import { db } from "./db";
import type { FakeEmail } from "./fake-email";
import { uniqueSlug } from "./http";

export const config = loadConfig(env);
export const DAY = 86_400_000;
export const HOUR = 3_600_000;

/** A milestone with its own tag and a subscriber who follows only that tag (so other tests' mail never reaches them). */
export async function scenario(dueAt: number, createdAt: number, input: Partial<CreateMilestoneInput> = {}) {
	const tag = uniqueSlug("t");
	const milestone = await createMilestone(
		db,
		{ title: `Deadline ${tag}`, due: new Date(dueAt).toISOString(), tags: [tag], ...input, ...(input.tags && { tags: [tag, ...input.tags] }) },
		"UTC",
		new Date(createdAt),
	);
	const subscriber = await createSubscriber(db, { email: `${tag}@example.org`, tags: [tag], digest: false }, new Date(createdAt));
	return { tag, milestone, subscriber, email: subscriber.email };
}

/** One sweep at a frozen instant with the given binding. */
export const sweepAt = (email: FakeEmail, at: number) => runSweep({ db, config, email, now: new Date(at), queries: new QueryBudget() });

/** The ledger rows for one recipient, oldest first. */
export const ledgerOf = (recipient: string) => db.select().from(alerts).where(eq(alerts.recipient, recipient)).orderBy(alerts.id);

export const subscriberRow = (id: number) => db.query.subscribers.findFirst({ where: eq(subscribers.id, id) });
