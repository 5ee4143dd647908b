// Overlapping crons: Cron Triggers may fire a run while the last is still going (a slow run, a
// retried trigger). Four scheduled() runs at once, round after round, over 1,000 due milestones
// and three subscribers: every due alert reaches each subscriber exactly once. Counted from the
// messages the EMAIL binding accepted, not from the ledger.
import { createScheduledController, env } from "cloudflare:test";
import { and, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { alerts, milestones } from "../../worker/db/schema";
import { createMilestone } from "../../worker/milestones/queries";
import { runScheduled } from "../../worker/scheduled";
import { createSubscriber } from "../../worker/subscribers/queries";
import { DAY } from "../support/alerts";
import { db } from "../support/db";
import { FakeEmail } from "../support/fake-email";
import { uniqueSlug } from "../support/http";

const MILESTONES = 1_000;
const RUNS_AT_ONCE = 4;
const MIN = 60_000;
/** The first round; every milestone is due 5 days later, so its P7D alert has been crossed. */
const T0 = Date.UTC(2032, 4, 10, 9);
const DUE = T0 + 5 * DAY;
const CREATED = T0 - 40 * DAY;
/** drizzle binds every column but the id (defaults included): 17 per row, so 5 rows keep an INSERT under D1's 100. */
const ROWS_PER_INSERT = 5;
const STATEMENTS_PER_BATCH = 50;

/** 1,000 milestones cloned from one made by createMilestone (so next_check_at is what the real code sets), inserted in batches. */
async function seedMilestones(tag: string): Promise<Set<string>> {
	const template = await createMilestone(
		db,
		{ title: `Storm ${tag} 0`, slug: `${tag}-0`, due: new Date(DUE).toISOString(), tags: [tag] },
		"UTC",
		new Date(CREATED),
	);
	expect(template.nextCheckAt?.getTime()).toBeLessThanOrEqual(T0);
	const { slug: _slug, title: _title, id: _id, ...schedule } = template;
	const rows = Array.from({ length: MILESTONES - 1 }, (_, i) => ({ ...pick(schedule), slug: `${tag}-${i + 1}`, title: `Storm ${tag} ${i + 1}` }));
	const statements = [];
	for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) statements.push(db.insert(milestones).values(rows.slice(i, i + ROWS_PER_INSERT)));
	for (let i = 0; i < statements.length; i += STATEMENTS_PER_BATCH) {
		const [first, ...rest] = statements.slice(i, i + STATEMENTS_PER_BATCH);
		if (first) await db.batch([first, ...rest]);
	}
	return new Set([template.slug, ...rows.map((r) => r.slug)]);
}

/** The columns a clone needs (the rest take their defaults). */
function pick(m: Omit<typeof milestones.$inferSelect, "slug" | "title" | "id">) {
	const { tags, kind, due, precision, timezone, dueAt, alertOffsets, nextCheckAt, createdAt, updatedAt } = m;
	return { tags, kind, due, precision, timezone, dueAt, alertOffsets, nextCheckAt, createdAt, updatedAt };
}

/** Which milestones (by slug) one message is about: each item's section opens with "== " and its title, "Storm <tag> <n>". */
const slugsIn = (text: string | undefined) => [...(text ?? "").matchAll(/^== .*?Storm ([\w-]+) (\d+)\b/gm)].map((m) => `${m[1]}-${m[2]}`);

describe("overlapping crons", () => {
	it("four concurrent scheduled() runs per round over 1,000 due milestones and 3 subscribers send every alert exactly once", { timeout: 60_000 }, async () => {
		const tag = uniqueSlug("storm");
		const slugs = await seedMilestones(tag);
		const subscribers = await Promise.all(
			[1, 2, 3].map((n) => createSubscriber(db, { email: `${tag}-${n}@example.org`, tags: [tag], digest: false }, new Date(CREATED))),
		);
		const recipients = subscribers.map((s) => s.email);
		const mail = new FakeEmail();
		const testEnv = { ...env, EMAIL: mail };

		const pending = async () =>
			(
				await db
					.select({ id: alerts.id })
					.from(alerts)
					.where(and(inArray(alerts.recipient, recipients), eq(alerts.status, "pending")))
			).length;
		let rounds = 0;

		for (; rounds < 40; rounds++) {
			const at = T0 + rounds * MIN;
			const controller = createScheduledController({ cron: "* * * * *", scheduledTime: at });
			await Promise.all(Array.from({ length: RUNS_AT_ONCE }, () => runScheduled(controller, testEnv, new Date(at))));
			if (rounds > 0 && (await pending()) === 0) break;
		}
		expect(rounds, "the ledger never drained").toBeLessThan(40);

		for (const recipient of recipients) {
			const times = new Map<string, number>();
			for (const message of mail.to(recipient)) for (const slug of slugsIn(message.text)) times.set(slug, (times.get(slug) ?? 0) + 1);
			const wrong = [...slugs].filter((s) => times.get(s) !== 1).map((s) => [s, times.get(s) ?? 0]);
			expect(wrong, `${recipient}: milestones not alerted exactly once`).toEqual([]);
			expect([...times.keys()].every((s) => slugs.has(s))).toBe(true);
		}
		// Nobody else got mail from this run (every message went to one of the three).
		expect(mail.sent.every((m) => recipients.includes(String(m.to)))).toBe(true);
		const sent = await db
			.select({ id: alerts.id })
			.from(alerts)
			.where(and(inArray(alerts.recipient, recipients), eq(alerts.status, "sent")));
		expect(sent).toHaveLength(3 * MILESTONES);
	});
});
