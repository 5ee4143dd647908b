/**
 * What a channel receives, as pure functions of the alert items: the Standard Webhooks body of one
 * alert, a Slack message (text + Block Kit) and a Telegram message (its HTML subset) for a group.
 * User text (titles, zone names) is escaped for each format; nothing here reads a binding or a clock.
 */
import { type Language, t } from "../../i18n";
import { describeTimeLeft } from "../../time/due";
import { dueLabel, headline, localTime, sectionOf, statusUrl, utcTime } from "../email/format";
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
	/** The channel's language: Slack and Telegram messages are written in it; a webhook's JSON stays English. */
	language: Language;
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
function detailLines(lang: Language, item: ChannelItem): string[] {
	if (item.kind === "surge") return [`${t(lang, "email.zone")}: ${item.zone.name} (${item.zone.slug})`];
	const m = item.milestone;
	const local = m.timezone === "UTC" ? "" : `${localTime(m.dueAt.getTime(), m.timezone)} / `;
	return [t(lang, "chat.due", { due: dueLabel(lang, m), time: `${local}${utcTime(m.dueAt)}` })];
}

/** Slack blocks allow at most 50 per message and 3,000 characters per section. */
const SLACK_SECTION_MAX = 3000;

/** A Slack incoming-webhook body: `text` (notifications, and clients without blocks) plus Block Kit `blocks`. */
export function slackMessage(alerts: readonly ChannelAlert[], ctx: MessageContext) {
	const first = alerts[0];
	if (!first) throw new Error("a message needs at least one alert");
	const lang = ctx.language;
	const more = alerts.length > 1 ? ` ${t(lang, "email.more", { count: alerts.length - 1 })}` : "";
	const text = slackEscape(`Vigil: ${headline(lang, first.item, ctx.now)}${more}`);
	const blocks: unknown[] = [{ type: "header", text: { type: "plain_text", text: clamp(t(lang, "chat.alerts", { count: alerts.length }), 150) } }];
	for (const { item, ackUrl } of alerts) {
		const link = statusUrl(ctx.appUrl, lang, sectionOf(item));
		const body = [
			`*${slackEscape(headline(lang, item, ctx.now))}*`,
			...detailLines(lang, item).map(slackEscape),
			`<${link}|${slackEscape(t(lang, "email.details"))}>`,
		].join("\n");
		blocks.push({ type: "section", text: { type: "mrkdwn", text: clamp(body, SLACK_SECTION_MAX) } });
		if (ackUrl) blocks.push({ type: "actions", elements: [{ type: "button", text: { type: "plain_text", text: t(lang, "email.acknowledge") }, url: ackUrl }] });
	}
	blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: `<${statusUrl(ctx.appUrl, lang)}|${slackEscape(t(lang, "chat.status_page"))}>` }] });
	return { text, blocks };
}

/** Telegram refuses messages over 4,096 characters (after entities are parsed): stay well under. */
const TELEGRAM_MAX = 3800;

/** A Telegram sendMessage text in HTML mode: one paragraph per alert, as many as fit, then how many more. */
export function telegramText(alerts: readonly ChannelAlert[], ctx: MessageContext): string {
	const lang = ctx.language;
	const parts: string[] = [];
	let length = 0;
	for (const [i, { item, ackUrl }] of alerts.entries()) {
		const link = statusUrl(ctx.appUrl, lang, sectionOf(item));
		const links = [
			`<a href="${telegramEscape(link)}">${telegramEscape(t(lang, "email.details"))}</a>`,
			...(ackUrl ? [`<a href="${telegramEscape(ackUrl)}">${telegramEscape(t(lang, "email.acknowledge"))}</a>`] : []),
		].join(" · ");
		const part = [`<b>${telegramEscape(clamp(headline(lang, item, ctx.now), 500))}</b>`, ...detailLines(lang, item).map(telegramEscape), links].join("\n");
		if (length + part.length > TELEGRAM_MAX && parts.length > 0) {
			parts.push(telegramEscape(t(lang, "chat.more_on_page", { count: alerts.length - i })));
			break;
		}
		parts.push(part);
		length += part.length + 2;
	}
	return parts.join("\n\n");
}

/** The test message's words, the same in every format, in the channel's language. */
export const testWords = (channelName: string, lang: Language = "en") => t(lang, "chat.test", { channel: channelName });
