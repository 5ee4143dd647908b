/**
 * What a channel receives, as pure functions of the alert items: the Standard Webhooks body of one
 * alert, a Slack message (text + Block Kit) and a Telegram message (its HTML subset) for a group.
 * User text (titles, zone names) is escaped for each format; nothing here reads a binding or a clock.
 */
import { describeTimeLeft } from "../../time/due";
import { dueLabel, headline, localTime, utcTime } from "../email/format";
import type { MilestoneItem, SurgeItem } from "../email/types";

/** What a channel can be told: a milestone's deadline, overdue or slip, or a zone's surge (the digest is email's). */
export type ChannelItem = MilestoneItem | SurgeItem;

/** One alert for a channel: its ledger row, what it says, and its acknowledge link when it has one. */
export interface ChannelAlert {
	alertId: number;
	item: ChannelItem;
	ackUrl?: string | null;
}

/** Where a message's links lead. */
export interface MessageContext {
	appUrl: string;
	now: Date;
}

const milestoneUrl = (appUrl: string, slug: string) => `${appUrl}/api/milestones/${encodeURIComponent(slug)}`;

/** The `data` of an `alert.fired` delivery: the alert, and its milestone or (for a surge) its zone. */
export function webhookData(alert: ChannelAlert, ctx: MessageContext) {
	const { item } = alert;
	const base = { alert_id: alert.alertId, kind: item.kind, headline: headline("en", item, ctx.now), ...(alert.ackUrl && { ack_url: alert.ackUrl }) };
	if (item.kind === "surge") {
		return {
			...base,
			offset: null,
			milestone: null,
			zone: { slug: item.zone.slug, name: item.zone.name, incidents_7d: item.recent, weekly_average: Number(item.weeklyAverage.toFixed(2)) },
			status_url: `${ctx.appUrl}/`,
		};
	}
	const m = item.milestone;
	return {
		...base,
		offset: item.offset,
		milestone: {
			id: m.id,
			slug: m.slug,
			title: m.title,
			status: m.status,
			due: m.due,
			due_at: m.dueAt.toISOString(),
			due_label: dueLabel("en", m),
			timezone: m.timezone,
			time_left: describeTimeLeft(m.dueAt.getTime(), ctx.now.getTime()),
			slip_count: m.slipCount,
			url: milestoneUrl(ctx.appUrl, m.slug),
		},
		zone: null,
		status_url: `${ctx.appUrl}/`,
	};
}

/** The Standard Webhooks body of one alert: `{type, timestamp, data}`. */
export function webhookBody(alert: ChannelAlert, ctx: MessageContext): string {
	return JSON.stringify({ type: "alert.fired", timestamp: ctx.now.toISOString(), data: webhookData(alert, ctx) });
}

/** Slack's mrkdwn reserves &, < and >: user text is escaped so it cannot make links or mentions. */
export const slackEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Telegram's HTML mode: &, <, > in text and " in attributes must be entities. */
export const telegramEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const clamp = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** The lines under an item's headline, in plain words (each format escapes them). */
function detailLines(item: ChannelItem): string[] {
	if (item.kind === "surge") return [`Zone: ${item.zone.name} (${item.zone.slug})`];
	const m = item.milestone;
	const local = m.timezone === "UTC" ? "" : `${localTime(m.dueAt.getTime(), m.timezone)} / `;
	return [`Due ${dueLabel("en", m)}: ${local}${utcTime(m.dueAt)}`];
}

/** Slack blocks allow at most 50 per message and 3,000 characters per section. */
const SLACK_SECTION_MAX = 3000;

/** A Slack incoming-webhook body: `text` (notifications, and clients without blocks) plus Block Kit `blocks`. */
export function slackMessage(alerts: readonly ChannelAlert[], ctx: MessageContext) {
	const first = alerts[0];
	if (!first) throw new Error("a message needs at least one alert");
	const more = alerts.length > 1 ? ` (+${alerts.length - 1} more)` : "";
	const text = slackEscape(`Vigil: ${headline("en", first.item, ctx.now)}${more}`);
	const blocks: unknown[] = [
		{ type: "header", text: { type: "plain_text", text: clamp(`Vigil: ${alerts.length} alert${alerts.length === 1 ? "" : "s"}`, 150) } },
	];
	for (const { item, ackUrl } of alerts) {
		const link = item.kind === "surge" ? `${ctx.appUrl}/` : milestoneUrl(ctx.appUrl, item.milestone.slug);
		const body = [`*${slackEscape(headline("en", item, ctx.now))}*`, ...detailLines(item).map(slackEscape), `<${link}|Details>`].join("\n");
		blocks.push({ type: "section", text: { type: "mrkdwn", text: clamp(body, SLACK_SECTION_MAX) } });
		if (ackUrl) blocks.push({ type: "actions", elements: [{ type: "button", text: { type: "plain_text", text: "Acknowledge" }, url: ackUrl }] });
	}
	blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: `<${ctx.appUrl}/|Vigil status page>` }] });
	return { text, blocks };
}

/** Telegram refuses messages over 4,096 characters (after entities are parsed): stay well under. */
const TELEGRAM_MAX = 3800;

/** A Telegram sendMessage text in HTML mode: one paragraph per alert, as many as fit, then how many more. */
export function telegramText(alerts: readonly ChannelAlert[], ctx: MessageContext): string {
	const parts: string[] = [];
	let length = 0;
	for (const [i, { item, ackUrl }] of alerts.entries()) {
		const link = item.kind === "surge" ? `${ctx.appUrl}/` : milestoneUrl(ctx.appUrl, item.milestone.slug);
		const links = [`<a href="${telegramEscape(link)}">Details</a>`, ...(ackUrl ? [`<a href="${telegramEscape(ackUrl)}">Acknowledge</a>`] : [])].join(" · ");
		const part = [`<b>${telegramEscape(clamp(headline("en", item, ctx.now), 500))}</b>`, ...detailLines(item).map(telegramEscape), links].join("\n");
		if (length + part.length > TELEGRAM_MAX && parts.length > 0) {
			parts.push(`…and ${alerts.length - i} more on the status page.`);
			break;
		}
		parts.push(part);
		length += part.length + 2;
	}
	return parts.join("\n\n");
}

/** The test message's words, the same in every format. */
export const testWords = (channelName: string) => `Vigil test message for the channel "${channelName}": alerts will arrive here.`;
