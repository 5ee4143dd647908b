// Channels in the sweep, counted and checked at local fake receivers: each kind gets what it
// should (a signed Standard Webhooks body, Slack text + blocks, Telegram HTML), failures back off
// (the receiver's Retry-After first), a receiver that recovers gets the alert once, a receiver
// that says its target is gone stops the channel, overlapping sweeps deliver exactly once, and an
// overdue alert carries an acknowledge link that works when POSTed.
import { eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ackLink } from "../../../worker/alerts/ack-link";
import { webhookIdOf } from "../../../worker/alerts/channels/send";
import { alertAcks, alerts } from "../../../worker/db/schema";
import { getStatus } from "../../../worker/status/queries";
import { config, DAY, scenario, sweepAt } from "../../support/alerts";
import { db } from "../../support/db";
import { FakeEmail } from "../../support/fake-email";
import { call } from "../../support/http";
import { everyKind, FakeReceivers } from "../../support/receivers";

const DUE = Date.UTC(2033, 5, 1, 12);
const MIN = 60_000;
/** Just past the P7D threshold. */
const T0 = DUE - 7 * DAY + MIN;

const channelRows = (channelId: number) => db.select().from(alerts).where(eq(alerts.channelId, channelId)).orderBy(alerts.id);
const headersOf = (h: Headers) => Object.fromEntries(h.entries());
const status =
	(code: number, body = "", headers: Record<string, string> = {}) =>
	() =>
		new Response(body, { status: code, headers });

afterEach(() => {
	vi.useRealTimers();
	vi.restoreAllMocks();
});

describe("channel deliveries from the sweep", () => {
	it("each kind receives the alert: a webhook signed as Standard Webhooks, Slack text and blocks, Telegram HTML at TELEGRAM_API_URL", async () => {
		const { tag } = await scenario(DUE, DUE - 40 * DAY, { title: "Talks <Hamrin> & 'co'" });
		const kinds = await everyKind(tag);
		const receivers = new FakeReceivers().install();
		await sweepAt(new FakeEmail(), T0);

		const [hook] = receivers.to(kinds.webhook.prefix);
		const [row] = await channelRows(kinds.webhook.id);
		expect(receivers.to(kinds.webhook.prefix)).toHaveLength(1);
		// The official library verifies it: signature, id and timestamp, as a receiver would at the sweep's instant.
		vi.useFakeTimers({ toFake: ["Date"] });
		vi.setSystemTime(T0 + 2000);
		const payload = new Webhook(kinds.webhook.secret).verify(hook?.body ?? "", headersOf(hook?.headers ?? new Headers())) as {
			type: string;
			data: { kind: string; offset: string; milestone: { slug: string; title: string; due_at: string; due_label: string; url: string }; status_url: string };
		};
		vi.useRealTimers();
		expect(payload.type).toBe("alert.fired");
		expect(payload.data).toMatchObject({ kind: "deadline", offset: "P7D", status_url: "https://vigil.test/" });
		expect(payload.data.milestone).toMatchObject({ title: "Talks <Hamrin> & 'co'", due_at: new Date(DUE).toISOString(), due_label: expect.any(String) });
		expect(payload.data).not.toHaveProperty("ack_url");
		expect(hook?.headers.get("webhook-id")).toBe(webhookIdOf({ id: row?.id ?? 0 }));
		expect([row?.status, row?.messageId, row?.recipient]).toEqual(["sent", webhookIdOf({ id: row?.id ?? 0 }), `channel:${kinds.webhook.id}`]);

		const [slack] = receivers.to(kinds.slack.prefix);
		const message = JSON.parse(slack?.body ?? "{}") as { text: string; blocks: { type: string; text?: { type: string; text: string } }[] };
		expect(message.text).toContain("Talks &lt;Hamrin&gt; &amp; 'co'");
		expect(message.blocks.map((b) => b.type)).toEqual(["header", "section", "context"]);
		expect(message.blocks[1]?.text).toMatchObject({
			type: "mrkdwn",
			text: expect.stringContaining("*Talks &lt;Hamrin&gt; &amp; 'co': due in 6 days 23 hours*"),
		});
		expect(message.blocks[1]?.text?.text).toContain("|Details>");

		const [telegram] = receivers.to(kinds.telegram.prefix);
		expect(telegram?.url).toBe(`https://telegram.test/bot${kinds.telegram.token}/sendMessage`);
		const sent = JSON.parse(telegram?.body ?? "{}") as { chat_id: string; text: string; parse_mode: string };
		expect([sent.chat_id, sent.parse_mode]).toEqual(["-1001234", "HTML"]);
		expect(sent.text).toMatch(/^<b>Talks &lt;Hamrin&gt; &amp; 'co': due in 6 days 23 hours<\/b>\n/);
		expect(sent.text).toContain(`<a href="https://vigil.test/#next">Details</a>`);
		expect((await channelRows(kinds.telegram.id))[0]?.messageId).toBe("telegram:1");
	});

	it("a receiver failing 3 times then recovering gets the alert exactly once, with the same webhook-id on every try and the error shown meanwhile", async () => {
		const { tag } = await scenario(DUE, DUE - 40 * DAY);
		const { webhook } = await everyKind(tag);
		const receivers = new FakeReceivers().install();
		receivers.answer(webhook.prefix, status(500, "down for maintenance"), status(502), () => {
			throw new TypeError("Network connection lost.");
		});
		const base = config.alerts.backoffMs;
		await sweepAt(new FakeEmail(), T0);
		const [pending] = await channelRows(webhook.id);
		expect([pending?.status, pending?.attempts, pending?.lastError, pending?.nextAttemptAt.getTime()]).toEqual([
			"pending",
			1,
			"HTTP 500: down for maintenance",
			T0 + base,
		]);
		const listed = (await (await call(`/api/alerts?recipient=channel:${webhook.id}`, { admin: true })).json()) as {
			items: { status: string; last_error: string }[];
		};
		expect(listed.items).toEqual([expect.objectContaining({ status: "pending", last_error: "HTTP 500: down for maintenance" })]);
		expect((await getStatus(db, new Date(T0 + 1000))).alerts.pending).toBeGreaterThanOrEqual(1);

		// Backoff doubles: retries at T0+b, T0+3b, T0+7b; sweeps between them send nothing.
		for (const at of [T0 + MIN, T0 + base, T0 + 2 * base, T0 + 3 * base, T0 + 7 * base, T0 + 15 * base, T0 + 31 * base]) await sweepAt(new FakeEmail(), at);
		const tries = receivers.to(webhook.prefix);
		expect(tries).toHaveLength(4);
		expect(new Set(tries.map((t) => t.headers.get("webhook-id"))).size).toBe(1);
		const [row] = await channelRows(webhook.id);
		expect([row?.status, row?.attempts, row?.lastError]).toEqual(["sent", 4, null]);
	});

	it("a 429 waits for the receiver's Retry-After (Slack's header, Telegram's parameters.retry_after) before the next try", async () => {
		const { tag } = await scenario(DUE, DUE - 40 * DAY);
		const { slack, telegram } = await everyKind(tag);
		const receivers = new FakeReceivers().install();
		receivers.answer(slack.prefix, status(429, "rate_limited", { "retry-after": "3600" }));
		receivers.answer(telegram.prefix, () =>
			Response.json({ ok: false, error_code: 429, description: "Too Many Requests: retry after 1800", parameters: { retry_after: 1800 } }, { status: 429 }),
		);
		await sweepAt(new FakeEmail(), T0);
		expect((await channelRows(slack.id))[0]?.nextAttemptAt.getTime()).toBe(T0 + 3_600_000);
		expect((await channelRows(telegram.id))[0]?.nextAttemptAt.getTime()).toBe(T0 + 1_800_000);
		await sweepAt(new FakeEmail(), T0 + 20 * MIN); // the backoff alone (5 min) would have retried by now
		expect([receivers.to(slack.prefix).length, receivers.to(telegram.prefix).length]).toEqual([1, 1]);
		await sweepAt(new FakeEmail(), T0 + 30 * MIN);
		expect([receivers.to(slack.prefix).length, receivers.to(telegram.prefix).length]).toEqual([1, 2]);
		await sweepAt(new FakeEmail(), T0 + 60 * MIN);
		expect([receivers.to(slack.prefix).length, receivers.to(telegram.prefix).length]).toEqual([2, 2]);
		expect((await channelRows(slack.id)).map((r) => r.status)).toEqual(["sent"]);
		expect((await channelRows(telegram.id)).map((r) => r.status)).toEqual(["sent"]);
	});

	it("a Slack 410 and a Telegram 'chat not found' disable their channel with the reason; the webhook beside them is delivered", async () => {
		const { tag } = await scenario(DUE, DUE - 40 * DAY);
		const { webhook, slack, telegram } = await everyKind(tag);
		const receivers = new FakeReceivers().install();
		receivers.answer(slack.prefix, status(410, "channel_is_archived"));
		receivers.answer(telegram.prefix, () => Response.json({ ok: false, error_code: 400, description: "Bad Request: chat not found" }, { status: 400 }));
		await sweepAt(new FakeEmail(), T0);

		const slackJson = (await (await call(`/api/channels/${slack.id}`, { admin: true })).json()) as { active: boolean; disabled_reason: string };
		expect(slackJson.active).toBe(false);
		expect(slackJson.disabled_reason).toMatch(/^Slack answered 410 Gone \(channel_is_archived\)/);
		const telegramJson = (await (await call(`/api/channels/${telegram.id}`, { admin: true })).json()) as { active: boolean; disabled_reason: string };
		expect([telegramJson.active, telegramJson.disabled_reason]).toEqual([false, "Telegram: Bad Request: chat not found"]);
		expect((await channelRows(slack.id)).map((r) => r.status)).toEqual(["failed"]);
		expect((await channelRows(webhook.id)).map((r) => r.status)).toEqual(["sent"]);
		const disabled = (await getStatus(db, new Date(T0))).channels.disabled.map((c) => c.id);
		expect(disabled).toEqual(expect.arrayContaining([slack.id, telegram.id]));

		// Disabled channels are not planned for, and nothing more is sent to them.
		await sweepAt(new FakeEmail(), DUE - DAY + MIN);
		expect([receivers.to(slack.prefix).length, receivers.to(telegram.prefix).length, receivers.to(webhook.prefix).length]).toEqual([1, 1, 2]);
		// An admin resumes one: the reason goes, and the next threshold reaches it.
		const resumed = await call(`/api/channels/${slack.id}`, { method: "PATCH", admin: true, json: { active: true } });
		expect(await resumed.json()).toMatchObject({ active: true, disabled_reason: null });
	});

	it("a Telegram 401 (the bot token refused) disables the channel at once instead of retrying", async () => {
		const { tag } = await scenario(DUE, DUE - 40 * DAY);
		const { telegram } = await everyKind(tag);
		const receivers = new FakeReceivers().install();
		receivers.answer(telegram.prefix, () => Response.json({ ok: false, error_code: 401, description: "Unauthorized" }, { status: 401 }));
		await sweepAt(new FakeEmail(), T0);
		const json = (await (await call(`/api/channels/${telegram.id}`, { admin: true })).json()) as { active: boolean; disabled_reason: string };
		expect([json.active, json.disabled_reason]).toEqual([false, "Telegram: Unauthorized"]);
		expect((await channelRows(telegram.id)).map((r) => r.status)).toEqual(["failed"]);
		await sweepAt(new FakeEmail(), T0 + 10 * config.alerts.backoffMs);
		expect(receivers.to(telegram.prefix)).toHaveLength(1);
	});

	it("a receiver that never recovers leaves the alert failed after the last attempt, with its last error", async () => {
		const { tag } = await scenario(DUE, DUE - 40 * DAY);
		const { webhook } = await everyKind(tag);
		const receivers = new FakeReceivers().install();
		receivers.answer(webhook.prefix, ...Array.from({ length: config.alerts.maxAttempts }, () => status(503, "overloaded")));
		for (let k = 0; k <= 2 ** config.alerts.maxAttempts; k++) await sweepAt(new FakeEmail(), T0 + k * config.alerts.backoffMs);
		const [row] = await channelRows(webhook.id);
		expect([row?.status, row?.attempts, row?.lastError]).toEqual(["failed", config.alerts.maxAttempts, "HTTP 503: overloaded"]);
		expect(receivers.to(webhook.prefix)).toHaveLength(config.alerts.maxAttempts);
	});

	it("four overlapping sweeps with every kind present deliver each alert exactly once, counted at the receivers", async () => {
		const { tag } = await scenario(DUE, DUE - 40 * DAY);
		await scenario(DUE + DAY, DUE - 40 * DAY, { tags: [tag] });
		await scenario(DUE + 2 * DAY, DUE - 40 * DAY, { tags: [tag] });
		const kinds = await everyKind(tag);
		const receivers = new FakeReceivers().install();
		const at = DUE - 7 * DAY + 3 * DAY; // all three milestones have crossed P7D
		await Promise.all(Array.from({ length: 4 }, () => sweepAt(new FakeEmail(), at)));
		await Promise.all(Array.from({ length: 4 }, () => sweepAt(new FakeEmail(), at + 10 * MIN)));
		const hooks = receivers.to(kinds.webhook.prefix);
		expect(hooks).toHaveLength(3);
		expect(new Set(hooks.map((h) => h.headers.get("webhook-id"))).size).toBe(3);
		expect(receivers.to(kinds.slack.prefix)).toHaveLength(1);
		expect(receivers.to(kinds.telegram.prefix)).toHaveLength(1);
		const slack = JSON.parse(receivers.to(kinds.slack.prefix)[0]?.body ?? "{}") as { blocks: { type: string }[] };
		expect(slack.blocks.filter((b) => b.type === "section")).toHaveLength(3);
		for (const id of [kinds.webhook.id, kinds.slack.id, kinds.telegram.id])
			expect((await channelRows(id)).map((r) => r.status)).toEqual(["sent", "sent", "sent"]);
	});

	it("an overdue alert carries its ack link (webhook data.ack_url, a Slack button, a Telegram link) and POSTing it acknowledges; a deadline alert carries none", async () => {
		const due = DUE + 20 * DAY;
		const { tag, milestone } = await scenario(due, due - 40 * DAY, { alert_offsets: ["P1D"] });
		const kinds = await everyKind(tag);
		const receivers = new FakeReceivers().install();
		await sweepAt(new FakeEmail(), due - DAY + MIN);
		await sweepAt(new FakeEmail(), due + MIN);

		const hooks = receivers.to(kinds.webhook.prefix).map((h) => JSON.parse(h.body) as { data: { kind: string; ack_url?: string } });
		expect(hooks.map((h) => h.data.kind)).toEqual(["deadline", "overdue"]);
		expect(hooks[0]?.data).not.toHaveProperty("ack_url");
		const rows = await channelRows(kinds.webhook.id);
		const overdueRow = rows.find((r) => r.kind === "overdue");
		const link = hooks[1]?.data.ack_url;
		expect(link).toBe(await ackLink(config.appUrl, config.secretsKey, overdueRow?.id ?? 0, "en"));

		type Blocks = { blocks: { type: string; elements?: { type: string; text: { text: string }; url: string }[] }[] };
		const [slackDeadline, slackOverdue] = receivers.to(kinds.slack.prefix).map((m) => JSON.parse(m.body) as Blocks);
		expect(slackDeadline?.blocks.map((b) => b.type)).not.toContain("actions");
		const button = slackOverdue?.blocks.find((b) => b.type === "actions")?.elements?.[0];
		const slackOverdueRow = (await channelRows(kinds.slack.id)).find((r) => r.kind === "overdue");
		expect([button?.type, button?.text.text, button?.url]).toEqual([
			"button",
			"Acknowledge",
			await ackLink(config.appUrl, config.secretsKey, slackOverdueRow?.id ?? 0, "en"),
		]);

		const [tgDeadline, tgOverdue] = receivers.to(kinds.telegram.prefix).map((m) => (JSON.parse(m.body) as { text: string }).text);
		expect(tgDeadline).not.toContain("Acknowledge");
		const tgOverdueRow = (await channelRows(kinds.telegram.id)).find((r) => r.kind === "overdue");
		expect(tgOverdue).toContain(`<a href="${await ackLink(config.appUrl, config.secretsKey, tgOverdueRow?.id ?? 0, "en")}">Acknowledge</a>`);

		// The webhook's link, POSTed through the Worker, acknowledges for that channel; the Slack one then shows that acknowledgement.
		const path = new URL(link ?? "https://vigil.test/ack/none").pathname;
		const res = await call(path, { method: "POST" });
		expect(res.status).toBe(200);
		expect(await res.text()).toContain(`Acknowledged by <bdi>channel:${kinds.webhook.id}</bdi> on`);
		const acks = await db.select().from(alertAcks).where(eq(alertAcks.milestoneId, milestone.id));
		expect(acks).toEqual([expect.objectContaining({ dueAt: new Date(due), alertId: overdueRow?.id, byKind: "channel", by: `channel:${kinds.webhook.id}` })]);
		const again = await call(new URL(button?.url ?? "https://vigil.test/ack/none").pathname, { method: "POST" });
		expect(again.status).toBe(200);
		expect(await db.select().from(alertAcks).where(eq(alertAcks.milestoneId, milestone.id))).toEqual(acks);
	});
});
