// The channel messages as pure functions: escaping for Slack's mrkdwn and Telegram's HTML, the
// acknowledge link when an alert has one, and Telegram's length limit.
import { describe, expect, it } from "vitest";
import { type ChannelAlert, slackMessage, telegramText, webhookData } from "../../../worker/alerts/channels/messages";
import type { MilestoneRow } from "../../../worker/db/schema";

const NOW = new Date("2031-05-01T12:00:00Z");
const ctx = { appUrl: "https://vigil.example.org", now: NOW };

function milestone(title: string, id = 1): MilestoneRow {
	const dueAt = new Date("2031-05-08T12:00:00Z");
	return {
		id,
		slug: `m-${id}`,
		title,
		titleI18n: null,
		description: "",
		tags: [],
		kind: "deadline",
		due: "2031-05-08T12:00:00Z",
		precision: "instant",
		timezone: "Asia/Baghdad",
		dueAt,
		status: "scheduled",
		alertOffsets: ["P7D"],
		slipCount: 0,
		sequence: 0,
		sourceUrl: null,
		nextCheckAt: null,
		outcome: null,
		outcomeNote: null,
		outcomeSourceUrl: null,
		outcomeAt: null,
		createdAt: NOW,
		updatedAt: NOW,
	};
}

const alert = (title: string, id = 1, ackUrl?: string): ChannelAlert => ({
	alertId: id,
	item: { kind: "deadline", offset: "P7D", alertId: id, milestone: milestone(title, id), revisions: [], incidents: [] },
	ackUrl,
});

describe("channel messages", () => {
	it("Slack: user text cannot make links or mentions (&, <, > escaped); one section per alert", () => {
		const msg = slackMessage([alert("<!channel> <https://evil.example|click> & more"), alert("Second", 2)], ctx);
		expect(msg.text).toBe("Vigil: &lt;!channel&gt; &lt;https://evil.example|click&gt; &amp; more: due in 7 days (+1 more)");
		const sections = msg.blocks.filter((b) => (b as { type: string }).type === "section") as { text: { text: string } }[];
		expect(sections).toHaveLength(2);
		expect(sections[0]?.text.text).not.toMatch(/<!channel>|<https:\/\/evil/);
		expect(sections[0]?.text.text).toContain("<https://vigil.example.org/api/milestones/m-1|Details>");
	});

	it("Telegram: only the HTML subset's own tags remain; user text is entities", () => {
		const text = telegramText([alert('<script>alert("x")</script> & <b>bold</b>')], ctx);
		expect(text).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;");
		const tags = [...text.matchAll(/<\/?([a-z]+)/g)].map((m) => m[1]);
		expect(new Set(tags)).toEqual(new Set(["b", "a"]));
	});

	it("Telegram: a long group stays under the 4,096-character limit and says how many more", () => {
		const many = Array.from({ length: 40 }, (_, i) => alert(`${"Long title ".repeat(40)}${i}`, i + 1));
		const text = telegramText(many, ctx);
		expect(text.length).toBeLessThan(4096);
		expect(text).toMatch(/…and \d+ more on the status page\.$/);
	});

	it("an alert's acknowledge link, when it has one, is in the webhook data, a Slack button and a Telegram link", () => {
		const ack = "https://vigil.example.org/ack/abc";
		expect(webhookData(alert("T", 1, ack), ctx)).toMatchObject({ ack_url: ack });
		expect(webhookData(alert("T"), ctx)).not.toHaveProperty("ack_url");
		expect(JSON.stringify(slackMessage([alert("T", 1, ack)], ctx).blocks)).toContain(`"url":"${ack}"`);
		expect(telegramText([alert("T", 1, ack)], ctx)).toContain(`<a href="${ack}">Acknowledge</a>`);
	});
});
