import { eq } from "drizzle-orm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runDigest } from "../../worker/alerts/digest";
import { createSilence } from "../../worker/alerts/silences";
import { isSurge } from "../../worker/alerts/surge";
import { QueryBudget } from "../../worker/db/budget";
import { type incidents, sources, zones } from "../../worker/db/schema";
import { createSubscriber } from "../../worker/subscribers/queries";
import { config, DAY, HOUR, ledgerOf, sweepAt } from "../support/alerts";
import { db } from "../support/db";
import { FakeEmail } from "../support/fake-email";
import { call, uniqueSlug } from "../support/http";
import { insertIncidentRows } from "../support/incident-rows";

const NOW = Date.UTC(2033, 3, 10, 6);

async function zoneWithSubscriber(digest = false) {
	const slug = uniqueSlug("zone");
	const [zone] = await db
		.insert(zones)
		.values({ slug, name: `Zone ${slug}`, createdAt: new Date(NOW - 90 * DAY) })
		.returning();
	const [source] = await db
		.insert(sources)
		.values({ slug: uniqueSlug("src"), name: "test", secretEnc: "x" })
		.returning();
	if (!zone || !source) throw new Error("fixture insert failed");
	const subscriber = await createSubscriber(db, { email: `${slug}@example.org`, zones: [slug], digest }, new Date(NOW - 60 * DAY));
	let n = 0;
	const addIncidents = async (count: number, occurredAt: number, over: Partial<typeof incidents.$inferInsert> = {}) => {
		await insertIncidentRows(
			Array.from({ length: count }, () => ({
				sourceId: source.id,
				externalId: `${slug}-${n++}`,
				eventDate: new Date(occurredAt).toISOString().slice(0, 10),
				occurredPrecision: "day" as const,
				occurredAt: new Date(occurredAt),
				reportedAt: new Date(occurredAt + HOUR),
				updatedAt: new Date(occurredAt + HOUR),
				eventType: "Battles",
				zoneId: zone.id,
				...over,
			})),
		);
	};
	return { zone, subscriber, addIncidents };
}

describe("surge alerts", () => {
	it("the rule: more than the multiple of the weekly average, and at least the minimum (property)", () => {
		fc.assert(
			fc.property(
				fc.nat(50),
				fc.nat(200),
				fc.double({ min: 1, max: 5, noNaN: true }),
				fc.integer({ min: 1, max: 20 }),
				(recent, baseline, multiple, minimum) => {
					const surge = isSurge({ zoneId: 1, recent, baseline }, multiple, minimum);
					expect(surge).toBe(recent >= minimum && recent * 4 > multiple * baseline);
					if (surge) expect(isSurge({ zoneId: 1, recent: recent + 1, baseline }, multiple, minimum)).toBe(true);
				},
			),
		);
	});

	it("fires once per zone per week, counting only live, unrejected incidents", async () => {
		const { zone, subscriber, addIncidents } = await zoneWithSubscriber();
		// Baseline: 4 incidents over the 4 weeks before (1 a week); this week 2 real ones so far.
		for (let w = 1; w <= 4; w++) await addIncidents(1, NOW - (7 * w + 2) * DAY);
		await addIncidents(2, NOW - DAY);
		await addIncidents(5, NOW - DAY, { retractedAt: new Date(NOW - HOUR) });
		await addIncidents(5, NOW - DAY, { verification: "rejected" });
		const mail = new FakeEmail();
		await sweepAt(mail, NOW);
		expect(mail.to(subscriber.email)).toHaveLength(0);
		await addIncidents(config.alerts.surgeMinimum - 2, NOW - 2 * HOUR);
		await sweepAt(mail, NOW + 10 * 60_000);
		await sweepAt(mail, NOW + 3 * DAY);
		const got = mail.to(subscriber.email);
		expect(got.map((m) => m.subject)).toEqual([`[Vigil] Surge in ${zone.name}: ${config.alerts.surgeMinimum} incidents in 7 days (weekly average 1.0)`]);
		expect((await ledgerOf(subscriber.email)).map((r) => [r.kind, r.zoneId, r.status])).toEqual([["surge", zone.id, "sent"]]);
	});

	it("a zone silence mutes its surges", async () => {
		const { zone, subscriber, addIncidents } = await zoneWithSubscriber();
		await addIncidents(20, NOW - DAY);
		await createSilence(db, { zone: zone.slug, until: new Date(NOW + DAY).toISOString(), reason: "known offensive" }, new Date(NOW - HOUR));
		const mail = new FakeEmail();
		await sweepAt(mail, NOW);
		expect(mail.to(subscriber.email)).toHaveLength(0);
		expect(await ledgerOf(subscriber.email)).toHaveLength(0);
	});
});

describe("daily digest", () => {
	it("sends new incidents by zone and type once, and nothing when nothing is new", async () => {
		const { zone, subscriber, addIncidents } = await zoneWithSubscriber(true);
		await addIncidents(3, NOW - 5 * HOUR);
		await addIncidents(1, NOW - 4 * HOUR, { eventType: "Riots" });
		await addIncidents(1, NOW - 30 * HOUR);
		const mail = new FakeEmail();
		await runDigest({ db, config, email: mail, now: new Date(NOW), queries: new QueryBudget() });
		await runDigest({ db, config, email: mail, now: new Date(NOW + 60_000), queries: new QueryBudget() });
		const [first, ...rest] = mail.to(subscriber.email);
		expect(rest).toHaveLength(0);
		expect(first?.subject).toBe("[Vigil] Daily digest: 4 new incidents");
		expect(first?.text).toContain(`${zone.slug}: 3 Battles, 1 Riots`);
		expect(first?.headers?.["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
		await runDigest({ db, config, email: mail, now: new Date(NOW + DAY), queries: new QueryBudget() });
		expect(mail.to(subscriber.email)).toHaveLength(1);
		await addIncidents(1, NOW + 2 * DAY);
		await runDigest({ db, config, email: mail, now: new Date(NOW + 3 * DAY), queries: new QueryBudget() });
		expect(mail.to(subscriber.email).map((m) => m.subject)).toEqual(["[Vigil] Daily digest: 4 new incidents", "[Vigil] Daily digest: 1 new incident"]);
		const sub = await db.query.subscribers.findFirst({ where: (s) => eq(s.id, subscriber.id) });
		expect(sub?.lastDigestAt?.getTime()).toBe(NOW + 3 * DAY);
	});
});

describe("/api/alerts and the calendar feed", () => {
	it("lists the ledger with filters and cursor pagination", async () => {
		const { subscriber, addIncidents } = await zoneWithSubscriber(true);
		await addIncidents(2, NOW - HOUR);
		await runDigest({ db, config, email: new FakeEmail(), now: new Date(NOW), queries: new QueryBudget() });
		await addIncidents(1, NOW + DAY);
		await runDigest({ db, config, email: new FakeEmail(), now: new Date(NOW + 2 * DAY), queries: new QueryBudget() });
		const q = `recipient=${encodeURIComponent(subscriber.email)}&kind=digest&status=sent`;
		const page1 = (await (await call(`/api/alerts?${q}&limit=1`, { admin: true })).json()) as {
			items: { id: number; kind: string; message_id: string }[];
			next_cursor: string;
		};
		expect(page1.items).toHaveLength(1);
		expect(page1.items[0]?.message_id).toMatch(/^<fake-/);
		const page2 = (await (await call(`/api/alerts?${q}&limit=1&cursor=${page1.next_cursor}`, { admin: true })).json()) as {
			items: { id: number }[];
			next_cursor: string | null;
		};
		expect(page2.items[0]?.id).toBeLessThan(page1.items[0]?.id ?? 0);
		expect(page2.next_cursor).toBeNull();
		expect((await call("/api/alerts?status=nope", { admin: true })).status).toBe(400);
		expect((await call("/api/alerts?cursor=garbage", { admin: true })).status).toBe(400);
	});

	it("serves every milestone as a VEVENT with VALARMs and a REFRESH-INTERVAL", async () => {
		const slug = uniqueSlug("feed");
		await call("/api/milestones", {
			method: "POST",
			admin: true,
			json: { title: "Feed test", slug, due: "2031-11-11", kind: "event", timezone: "Asia/Baghdad", alert_offsets: ["P7D", "PT6H"] },
		});
		const res = await call("/feeds/milestones.ics");
		expect(res.status).toBe(200);
		expect(res.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
		const ics = (await res.text()).replace(/\r\n[ \t]/g, "");
		expect(ics).toContain("REFRESH-INTERVAL;VALUE=DURATION:PT1H");
		const event = ics.split("BEGIN:VEVENT").find((e) => e.includes(`/api/milestones/${slug}`)) ?? "";
		expect(event).toContain("DTSTART:20311110T210000Z");
		expect(event).toContain("TRIGGER:-P7D");
		expect(event).toContain("TRIGGER:-PT6H");
	});
});
