import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { composeEmail } from "../../worker/alerts/email/compose";
import type { EmailInput } from "../../worker/alerts/email/types";
import type { MilestoneRow } from "../../worker/db/schema";
import { DAY, ledgerOf, scenario, sweepAt } from "../support/alerts";
import { FakeEmail } from "../support/fake-email";

const DUE = Date.UTC(2032, 5, 30, 21);
const NOW = new Date(DUE - 6 * DAY);
const HOSTILE = `Withdrawal <script>alert("x")</script> & "friends"\r\nBcc: victim@example.org`;

const milestone = (over: Partial<MilestoneRow> = {}): MilestoneRow => ({
	id: 7,
	slug: "withdrawal",
	title: HOSTILE,
	titleI18n: null,
	description: "<b>not bold</b>",
	tags: ["iraq"],
	kind: "deadline",
	due: "2032-06",
	precision: "month",
	timezone: "Asia/Baghdad",
	dueAt: new Date(DUE),
	status: "scheduled",
	alertOffsets: ["P30D", "P7D", "P1D", "PT0S"],
	sourceUrl: null,
	slipCount: 1,
	sequence: 1,
	nextCheckAt: null,
	outcome: null,
	outcomeNote: null,
	outcomeSourceUrl: null,
	outcomeAt: null,
	createdAt: new Date(DUE - 90 * DAY),
	updatedAt: new Date(DUE - 10 * DAY),
	...over,
});

const input = (over: Partial<EmailInput> = {}): EmailInput => ({
	from: "vigil@example.org",
	to: "desk@example.org",
	appUrl: "https://vigil.test",
	unsubscribeUrl: "https://vigil.test/unsubscribe/abcdefghijklmnopqrstuvwxyz",
	now: NOW,
	language: "en",
	items: [
		{
			kind: "deadline",
			alertId: 1,
			offset: "P7D",
			milestone: milestone(),
			revisions: [
				{
					id: 1,
					milestoneId: 7,
					oldDue: "2032-03",
					newDue: "2032-06",
					oldDueAt: new Date(DUE - 92 * DAY),
					newDueAt: new Date(DUE),
					reason: "</li><img src=x onerror=alert(1)>",
					createdAt: new Date(DUE - 10 * DAY),
				},
			],
			incidents: [
				{ occurredAt: new Date(DUE - 7 * DAY), eventType: "Explosions/Remote violence", location: "<Rutba>", zone: "wadi-hauran", fatalities: 2, notes: null },
			],
		},
	],
	...over,
});

const decode = (a: EmailAttachment | undefined) => (a && typeof a.content !== "string" ? new TextDecoder().decode(a.content as Uint8Array) : "");

describe("alert email", () => {
	it("has text and HTML parts with the due date in its zone and in UTC, precision, time left, slips and incidents", () => {
		const m = composeEmail(input());
		expect(m.text).toContain("Due: by June 2032");
		expect(m.text).toContain("2032-07-01 00:00 Asia/Baghdad / 2032-06-30 21:00 UTC");
		expect(m.text).toContain("Precision: month");
		expect(m.text).toContain("Time left: in 6 days");
		expect(m.text).toContain("2032-03 -> 2032-06");
		expect(m.text).toContain("Explosions/Remote violence, <Rutba> [wadi-hauran], 2 killed");
		expect(m.text).toContain("Status page: https://vigil.test/");
		expect(m.html).toContain("2032-06-30 21:00 UTC");
		expect(m.html).toContain('href="https://vigil.test/"');
	});

	it("escapes every user-supplied string in HTML and keeps line breaks out of the subject", () => {
		const m = composeEmail(input());
		expect(m.html).not.toMatch(/<script|<img|<b>not/);
		expect(m.html).toContain("&lt;script&gt;");
		expect(m.html).toContain("&lt;Rutba&gt;");
		expect(m.html).toContain("&lt;/li&gt;&lt;img src=x onerror=alert(1)&gt;");
		expect(m.subject).not.toMatch(/[\r\n]/);
		expect(m.subject).toMatch(/^\[Vigil\] Withdrawal <script>.*Bcc: victim@example.org: due in 6 days$|^\[Vigil\] Withdrawal .*…$/);
		for (const v of Object.values(m.headers ?? {})) expect(v).not.toMatch(/[\r\n]/);
	});

	it("carries the unsubscribe headers (https, one-click) and Auto-Submitted", () => {
		expect(composeEmail(input()).headers).toEqual({
			"List-Unsubscribe": "<https://vigil.test/unsubscribe/abcdefghijklmnopqrstuvwxyz>",
			"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
			"Auto-Submitted": "auto-generated",
		});
		// Cloudflare rejects a non-https List-Unsubscribe, so a local http APP_URL sends none.
		expect(composeEmail(input({ unsubscribeUrl: "http://localhost:8787/unsubscribe/x" })).headers).toEqual({ "Auto-Submitted": "auto-generated" });
	});

	it("attaches an .ics with a VEVENT at due_at and a VALARM per offset", () => {
		const [attachment] = composeEmail(input()).attachments ?? [];
		expect(attachment).toMatchObject({ disposition: "attachment", filename: "vigil.ics", type: "text/calendar; charset=utf-8; method=PUBLISH" });
		const ics = decode(attachment).replace(/\r\n[ \t]/g, "");
		expect(ics).toMatch(/^BEGIN:VCALENDAR\r\n/);
		expect(ics).toContain("BEGIN:VEVENT");
		expect(ics).toContain("UID:milestone-7@vigil.test");
		expect(ics).toContain("DTSTART:20320630T210000Z");
		expect(ics.match(/BEGIN:VALARM/g)).toHaveLength(4);
		expect(ics).toContain("TRIGGER:-P7D");
		expect(ics).toContain("SUMMARY:Withdrawal <script>");
		// The CRLF in the title is escaped as \n inside SUMMARY, never a new property.
		expect(ics).not.toMatch(/\r\nBcc:/);
	});

	it("is accepted by the local send_email binding, which returns a message id", async () => {
		const result = await env.EMAIL.send(composeEmail(input()));
		expect(result.messageId).toMatch(/.+@.+/);
	});

	it("orders items most urgent first and says so in the subject", () => {
		const overdue = {
			kind: "overdue" as const,
			alertId: 2,
			offset: "PT0S",
			milestone: milestone({ id: 8, title: "Elections", dueAt: new Date(NOW.getTime() - DAY), due: "2032-06-23", precision: "day", slipCount: 0 }),
			revisions: [],
			incidents: [],
		};
		const m = composeEmail(input({ items: [...input().items, overdue] }));
		expect(m.subject).toMatch(/^\[Vigil\] Elections: overdue \(due by 23 June 2032\) \(\+1 more\)$/);
		expect(m.text?.indexOf("== Elections")).toBeLessThan(m.text?.indexOf("== Withdrawal") ?? 0);
	});

	it("a sweep sends it to the subscriber with their own unsubscribe link", async () => {
		const { email, subscriber } = await scenario(DUE, DUE - 40 * DAY);
		const mail = new FakeEmail();
		await sweepAt(mail, DUE - 7 * DAY + 60_000);
		const [sent] = mail.to(email);
		expect(sent?.headers?.["List-Unsubscribe"]).toBe(`<https://vigil.test/unsubscribe/${subscriber.unsubscribeToken}>`);
		expect(sent?.from).toBe("vigil@example.org");
		expect((await ledgerOf(email))[0]?.messageId).toBe(mail.idOf(sent));
	});
});
