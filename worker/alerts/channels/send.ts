/**
 * The ledger's claim → send → mark cycle for one channel: a webhook gets one signed delivery per
 * alert (its webhook-id is the ledger row's, the same on every retry); Slack and Telegram get one
 * message per run with every alert claimed. A receiver's failure touches only its own rows.
 */
import { eq } from "drizzle-orm";
import type { JobContext } from "../../cron/jobs";
import { type AlertRow, type ChannelRow, channels } from "../../db/schema";
import { ackLink } from "../ack-link";
import { loadItems } from "../content";
import { claim, dropClaimed, giveUp, markFailed, markSent, type SendCounts } from "../ledger";
import { deliver, type Outcome, slackRequest, telegramRequest, webhookRequest } from "./deliver";
import { type ChannelAlert, type ChannelItem, type MessageContext, slackMessage, telegramText, webhookBody } from "./messages";
import { credentialsOf, disableChannel } from "./queries";

/** The webhook-id of an alert's deliveries: its ledger row, so every retry carries the same one. */
export const webhookIdOf = (row: Pick<AlertRow, "id">) => `vigil_alert_${row.id}`;

/** The ledger's recipient for a channel: unique beside subscribers' addresses, which always hold an @. */
export const channelRecipient = (channelId: number) => `channel:${channelId}`;

const isChannelItem = (item: { kind: string }): item is ChannelItem => item.kind !== "digest";

/** Marks rows after one delivery: sent; the channel stopped and the rows given up (gone); or backed off. */
async function settle(ctx: JobContext, channel: ChannelRow, rows: AlertRow[], leaseUntil: Date, outcome: Outcome, counts: SendCounts): Promise<void> {
	const { db, now, config } = ctx;
	if (outcome.ok) {
		await markSent(db, rows, leaseUntil, outcome.messageId, now);
		counts.messages++;
		counts.sent += rows.length;
		return;
	}
	console.error(`channel ${channel.id} (${channel.kind}) delivery of alert rows ${rows.map((r) => r.id).join(",")} failed: ${outcome.error}`);
	if (outcome.gone) {
		await db.batch([disableChannel(db, channel.id, outcome.gone, now), giveUp(db, rows, leaseUntil, outcome.gone, now)]);
		counts.failed += rows.length;
		return;
	}
	const failed = await markFailed(db, rows, leaseUntil, outcome.error, config.alerts, now, outcome.retryAfterMs);
	counts.failed += failed;
	counts.retrying += rows.length - failed;
}

/** The outcome of a delivery that could not even be built (the credential does not decrypt): a failed attempt. */
const notBuilt = (e: unknown): Outcome => ({
	ok: false,
	status: null,
	excerpt: "",
	error: e instanceof Error ? e.message : String(e),
	retryAfterMs: null,
	gone: null,
});

/** Claims the rows, then delivers them to the channel and marks each as its delivery went. */
export async function sendToChannel(ctx: JobContext, channelId: number, ids: number[], counts: SendCounts): Promise<void> {
	const { db, now, config } = ctx;
	const { rows: claimed, leaseUntil } = await claim(db, ids, now);
	if (claimed.length === 0) return; // another run holds them
	const channel = await db.query.channels.findFirst({ where: eq(channels.id, channelId) });
	if (!channel || channel.deletedAt) {
		await dropClaimed(db, claimed, leaseUntil);
		return;
	}
	if (channel.disabledAt) {
		// Disabled (by its receiver) after these were queued: given up, and the ledger says why.
		await giveUp(db, claimed, leaseUntil, `channel disabled: ${channel.disabledReason ?? "no reason recorded"}`, now);
		counts.failed += claimed.length;
		return;
	}
	const { items, stale } = await loadItems(db, claimed, null, now);
	if (stale.length > 0) await dropClaimed(db, stale, leaseUntil);
	const rows = claimed.filter((r) => !stale.includes(r));
	// loadItems keeps the rows' order: the i-th item is the i-th live row's.
	const alerts: ChannelAlert[] = rows.flatMap((row, i) => {
		const item = items[i];
		return item && isChannelItem(item) ? [{ alertId: row.id, item }] : [];
	});
	if (alerts.length === 0) return;
	// Overdue notices and reminders carry their acknowledge link, as in the email.
	for (const alert of alerts) {
		if (alert.item.kind === "overdue") alert.ackUrl = await ackLink(config.appUrl, config.secretsKey, alert.alertId, channel.language);
	}
	const msg: MessageContext = { appUrl: config.appUrl, now, language: channel.language };
	let secrets: string[];
	try {
		secrets = await credentialsOf(channel, config.secretsKey, now);
	} catch (e) {
		await settle(ctx, channel, rows, leaseUntil, notBuilt(e), counts);
		return;
	}
	const [credential = ""] = secrets;
	if (channel.kind === "webhook") {
		for (const alert of alerts) {
			const row = rows.find((r) => r.id === alert.alertId);
			if (!row) continue;
			const request = await webhookRequest(channel.url ?? "", secrets, webhookIdOf(row), webhookBody(alert, msg), now);
			const outcome = await deliver("webhook", request, secrets, now);
			await settle(ctx, channel, [row], leaseUntil, outcome.ok ? { ...outcome, messageId: webhookIdOf(row) } : outcome, counts);
		}
		return;
	}
	const request =
		channel.kind === "slack"
			? slackRequest(credential, slackMessage(alerts, msg))
			: telegramRequest(config.telegramApiUrl, credential, channel.chatId ?? "", telegramText(alerts, msg));
	await settle(ctx, channel, rows, leaseUntil, await deliver(channel.kind, request, secrets, now), counts);
}
