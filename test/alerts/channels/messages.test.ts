// The channel messages as pure functions: escaping for Slack's mrkdwn and Telegram's HTML, the
// acknowledge link when an alert has one, and Telegram's length limit.
import { describe, expect, it } from "vitest";
import { type ChannelAlert, type MessageContext, slackMessage, telegramText, testWords, webhookData } from "../../../worker/alerts/channels/messages";
import type { MilestoneRow } from "../../../worker/db/schema";

const NOW = new Date("2031-05-01T12:00:00Z");
const ctx: MessageContext = { appUrl: "https://vigil.example.org", now: NOW, language: "en" };

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
		expect(sections[0]?.text.text).toContain("<https://vigil.example.org/#next|Details>");
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

	it("Telegram and Slack speak the channel's language, linking the status page in it; the webhook's JSON stays English", () => {
		const ar = telegramText([alert("Coalition withdrawal")], { ...ctx, language: "ar" });
		expect(ar).toBe(
			[
				"<b>Coalition withdrawal: يحين الموعد بعد ٧ أيام</b>",
				"الموعد بحلول ٨ أيار ٢٠٣١، الساعة ١٥:٠٠ Asia/Baghdad: 2031-05-08 15:00 Asia/Baghdad / 2031-05-08 12:00 UTC",
				'<a href="https://vigil.example.org/?lang=ar#next">التفاصيل</a>',
			].join("\n"),
		);
		const ckb = telegramText([alert("Coalition withdrawal", 1, "https://vigil.example.org/ack/1.x")], { ...ctx, language: "ckb" });
		expect(ckb).toContain("<b>Coalition withdrawal: وادەکەی ٧ ڕۆژ ماوە</b>");
		expect(ckb).toContain('<a href="https://vigil.example.org/ack/1.x">پشتڕاستکردنەوە</a>');
		const en = telegramText([alert("Coalition withdrawal")], ctx);
		expect(en).toContain("<b>Coalition withdrawal: due in 7 days</b>\nDue by 8 May 2031, 15:00 Asia/Baghdad:");
		const slack = slackMessage([alert("A"), alert("B", 2)], { ...ctx, language: "ar" });
		expect(slack.text).toBe("Vigil: A: يحين الموعد بعد ٧ أيام (+١ أخرى)");
		expect(JSON.stringify(slack.blocks)).toContain("Vigil: تنبيهان");
		expect(JSON.stringify(slack.blocks)).toContain("<https://vigil.example.org/?lang=ar|صفحة حالة Vigil>");
		expect(webhookData(alert("A"), { ...ctx, language: "ar" }).headline).toBe("A: due in 7 days");
		expect(testWords("desk", "ar")).toBe("رسالة تجريبية من Vigil للقناة «desk»: ستصل التنبيهات إلى هنا.");
	});

	it("Telegram in Arabic: what does not fit is counted in Arabic", () => {
		const many = Array.from({ length: 30 }, (_, i) => alert("x".repeat(400), i + 1));
		expect(telegramText(many, { ...ctx, language: "ar" })).toMatch(/…و[٠-٩]+ أخرى في صفحة الحالة\.$/);
	});
});
