// Acknowledging an overdue alert or reminder: the link each carries, the page that asks (GET never
// acts), the POST that acknowledges, the admin route, reminders stopping and a slip re-arming them.
import { and, eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { ackToken } from "../../worker/alerts/ack-link";
import { alertAcks, subscribers } from "../../worker/db/schema";
import { updateMilestone } from "../../worker/milestones/queries";
import { createSubscriber } from "../../worker/subscribers/queries";
import { config, DAY, ledgerOf, scenario, sweepAt } from "../support/alerts";
import { db } from "../support/db";
import { FakeEmail } from "../support/fake-email";
import { call, problem } from "../support/http";

const DUE = Date.UTC(2034, 2, 1, 12);
const MIN = 60_000;
const REMINDER = config.alerts.reminderIntervalMs;

/** The ack link in a message's text part, and the path it points at. */
function ackLinkIn(message: EmailMessageBuilder | undefined): string | null {
	return /Acknowledge \(no more reminders for this due date\): (\S+)/.exec(String(message?.text))?.[1] ?? null;
}
const pathOf = (url: string | null) => new URL(url ?? "https://vigil.test/ack/none").pathname;

const acksOf = (milestoneId: number) => db.select().from(alertAcks).where(eq(alertAcks.milestoneId, milestoneId));

/** A milestone overdue since DUE whose subscriber got the overdue notice; answers its ack link. */
async function overdueScenario(due = DUE) {
	const s = await scenario(due, due - 40 * DAY, { alert_offsets: ["P1D"] });
	const mail = new FakeEmail();
	await sweepAt(mail, due - DAY + MIN);
	await sweepAt(mail, due + MIN);
	const [deadline, overdue] = mail.to(s.email);
	return { ...s, mail, deadline, overdue, link: ackLinkIn(overdue) };
}

describe("the ack link", () => {
	it("is in the text and HTML of overdue notices, not of deadline alerts, and names the alert it was made for", async () => {
		const { deadline, overdue, link, email } = await overdueScenario();
		expect(ackLinkIn(deadline)).toBeNull();
		expect(String(deadline?.html)).not.toContain("/ack/");
		expect(link).toMatch(/^https:\/\/vigil\.test\/ack\/\d+\.[A-Za-z0-9_-]{43}$/);
		expect(String(overdue?.html)).toContain(`<a href="${link}">Acknowledge</a>`);
		const overdueRow = (await ledgerOf(email)).find((r) => r.kind === "overdue");
		expect(link).toBe(`https://vigil.test/ack/${await ackToken(config.secretsKey, overdueRow?.id ?? 0)}`);
	});

	it("carries the recipient's language, so the page it opens speaks the mail's language", async () => {
		const due = DUE + 5 * DAY;
		const s = await scenario(due, due - 40 * DAY, { alert_offsets: ["P1D"] });
		await db.update(subscribers).set({ language: "ar" }).where(eq(subscribers.id, s.subscriber.id));
		const mail = new FakeEmail();
		await sweepAt(mail, due - DAY + MIN);
		await sweepAt(mail, due + MIN);
		const [, overdue] = mail.to(s.email);
		const link = /href="(https:\/\/vigil\.test\/ack\/[^"]+)"/.exec(String(overdue?.html))?.[1] ?? null;
		expect(link).toMatch(/^https:\/\/vigil\.test\/ack\/\d+\.[A-Za-z0-9_-]{43}\?lang=ar$/);
		expect(String(overdue?.text)).toContain(link);
		const url = new URL(link ?? "");
		const page = await (await call(url.pathname + url.search)).text();
		expect(page).toContain('<html lang="ar-IQ" dir="rtl">');
		expect(page).toContain(`<form method="post" action="${url.pathname}?lang=ar">`);
	});

	it("GET shows a page with a button that posts, and changes nothing", async () => {
		const { link, milestone, email } = await overdueScenario(DUE + DAY);
		const before = await ledgerOf(email);
		const res = await call(pathOf(link));
		expect(res.status).toBe(200);
		expect(res.headers.get("content-security-policy")).toContain("form-action 'self'");
		expect(res.headers.get("cache-control")).toBe("no-store");
		const html = await res.text();
		expect(html).toContain(`<form method="post" action="${pathOf(link)}">`);
		expect(html).toContain('<button type="submit">Acknowledge</button>');
		// One main landmark holds the page, as on the other pages a mail links to.
		expect(html).toMatch(/<body><main><h1>[^<]+<\/h1>[\s\S]*<\/main><\/body>/);
		expect(await acksOf(milestone.id)).toEqual([]);
		expect(await ledgerOf(email)).toEqual(before);
	});

	it("POST acknowledges for the recipient; a second POST changes nothing and shows the first", async () => {
		const { link, milestone, email } = await overdueScenario(DUE + 2 * DAY);
		const first = await call(pathOf(link), { method: "POST" });
		expect(first.status).toBe(200);
		expect(await first.text()).toContain(`Acknowledged by <bdi>${email}</bdi> on`);
		const acks = await acksOf(milestone.id);
		expect(acks).toEqual([expect.objectContaining({ dueAt: new Date(DUE + 2 * DAY), byKind: "subscriber", by: email })]);
		const again = await call(pathOf(link), { method: "POST" });
		expect(again.status).toBe(200);
		expect(await acksOf(milestone.id)).toEqual(acks);
		// The page says so on GET too, without a button.
		expect(await (await call(pathOf(link))).text()).not.toContain("<button");
	});

	it("answers 404 for a token Vigil did not sign, and for one made for another alert", async () => {
		const { link } = await overdueScenario(DUE + 3 * DAY);
		const token = pathOf(link).slice("/ack/".length);
		const [id, signature] = token.split(".");
		const flipped = `${signature?.slice(0, -1)}${signature?.endsWith("A") ? "B" : "A"}`;
		for (const bad of [`${id}.${flipped}`, `${Number(id) + 1}.${signature}`, "nonsense", `${id}`]) {
			await problem(await call(`/ack/${bad}`), 404);
			await problem(await call(`/ack/${bad}`, { method: "POST" }), 404);
		}
	});
});

describe("after an acknowledgement", () => {
	it("no more reminders for that due date; a slip re-arms them, and the old link is gone (410)", async () => {
		const due = DUE + 4 * DAY;
		const { link, milestone, email, mail } = await overdueScenario(due);
		expect((await call(pathOf(link), { method: "POST" })).status).toBe(200);
		await sweepAt(mail, due + REMINDER + MIN);
		await sweepAt(mail, due + 2 * REMINDER + MIN);
		expect(mail.to(email)).toHaveLength(2);
		const row = await db.query.milestones.findFirst({ where: (m, { eq }) => eq(m.id, milestone.id) });
		expect(row?.nextCheckAt).toBeNull();

		const newDue = due + 30 * DAY;
		const at = due + 2 * REMINDER + 2 * MIN;
		await updateMilestone(db, milestone.slug, { due: new Date(newDue).toISOString(), reason: "postponed" }, new Date(at));
		await problem(await call(pathOf(link)), 410);
		await problem(await call(pathOf(link), { method: "POST" }), 410);
		await sweepAt(mail, at + MIN);
		await sweepAt(mail, newDue + MIN);
		const subjects = mail.to(email).map((m) => m.subject);
		expect(subjects.slice(2)).toEqual([expect.stringMatching(/: moved, now due /), expect.stringMatching(/: overdue /)]);
		const fresh = ackLinkIn(mail.to(email)[3]);
		expect(fresh).not.toBe(link);
		expect((await call(pathOf(fresh))).status).toBe(200);
	});

	it("reminders still waiting to be sent to others for that due date are dropped", async () => {
		const due = DUE + 5 * DAY;
		const { tag, email, milestone } = await scenario(due, due - 40 * DAY, { alert_offsets: ["P1D"] });
		const other = await createSubscriber(db, { email: `other-${tag}@example.org`, tags: [tag], digest: false }, new Date(due - 40 * DAY));
		const mail = new FakeEmail();
		mail.failFor(other.email, 1);
		await sweepAt(mail, due + MIN);
		expect((await ledgerOf(other.email)).map((r) => [r.kind, r.status])).toEqual([["overdue", "pending"]]);
		expect((await call(pathOf(ackLinkIn(mail.to(email)[0])), { method: "POST" })).status).toBe(200);
		expect(await ledgerOf(other.email)).toEqual([]);
		await sweepAt(mail, due + 2 * 3_600_000);
		expect(mail.to(other.email)).toEqual([]);
		expect(await acksOf(milestone.id)).toHaveLength(1);
	});
});

describe("POST /api/alerts/:id/ack", () => {
	it("acknowledges for an admin, idempotently, and /api/alerts and /status show who and when", async () => {
		const due = DUE + 6 * DAY;
		const { milestone, email } = await overdueScenario(due);
		const [deadlineRow, overdueRow] = await ledgerOf(email);
		const first = await call(`/api/alerts/${overdueRow?.id}/ack`, { method: "POST", admin: true });
		expect(first.status).toBe(200);
		const body = (await first.json()) as { id: number; acknowledged: { by_kind: string; by: string | null; at: string; alert_id: number } };
		expect(body).toMatchObject({ id: overdueRow?.id, acknowledged: { by_kind: "admin", by: null, alert_id: overdueRow?.id } });
		const again = (await (await call(`/api/alerts/${overdueRow?.id}/ack`, { method: "POST", admin: true })).json()) as typeof body;
		expect(again.acknowledged).toEqual(body.acknowledged);
		expect(await acksOf(milestone.id)).toHaveLength(1);

		const list = (await (await call(`/api/alerts?milestone=${milestone.id}`, { admin: true })).json()) as { items: (typeof body)[] };
		expect(list.items.map((a) => [a.id, a.acknowledged?.by_kind ?? null])).toEqual([
			[overdueRow?.id, "admin"],
			[deadlineRow?.id, null],
		]);
		// On /status, an hour after the due time: this milestone is the latest overdue one in this file.
		vi.useFakeTimers({ toFake: ["Date"] });
		try {
			vi.setSystemTime(due + 3_600_000);
			const status = (await (await call("/status", { headers: { "cache-control": "no-cache" } })).json()) as {
				milestones: { overdue_items: { id: number; acknowledged: unknown }[] };
			};
			expect(status.milestones.overdue_items[0]).toMatchObject({ id: milestone.id, acknowledged: { at: body.acknowledged.at, by_kind: "admin" } });
		} finally {
			vi.useRealTimers();
		}
	});

	it("refuses what cannot be acknowledged: another kind (409), an unknown alert (404), no admin token (401)", async () => {
		const { email } = await overdueScenario(DUE + 7 * DAY);
		const [deadlineRow, overdueRow] = await ledgerOf(email);
		await problem(await call(`/api/alerts/${deadlineRow?.id}/ack`, { method: "POST", admin: true }), 409);
		await problem(await call("/api/alerts/999999999/ack", { method: "POST", admin: true }), 404);
		await problem(await call(`/api/alerts/${overdueRow?.id}/ack`, { method: "POST" }), 401);
		expect(
			await db
				.select()
				.from(alertAcks)
				.where(and(eq(alertAcks.alertId, overdueRow?.id ?? 0))),
		).toEqual([]);
	});
});
