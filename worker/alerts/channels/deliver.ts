/**
 * One HTTP delivery to a channel's receiver, and what its answer means: sent, retry (with the
 * receiver's own Retry-After or Telegram's `retry_after` when it gives one), or gone (the
 * channel must stop). Credentials never reach an error or an excerpt: they are redacted.
 */
import type { ChannelKind } from "../../db/schema";
import { signPayload } from "../../incidents";

/** A receiver that has not answered in this long is a failed attempt; the next channel is not kept waiting. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** A Retry-After longer than this is read as this: the alert stays pending, not parked for days. */
const MAX_RETRY_AFTER_MS = 6 * 3_600_000;
const EXCERPT_MAX = 200;

/** An HTTP request to make, built by the kind's builder. */
export interface Outbound {
	url: string;
	headers: Record<string, string>;
	body: string;
}

export type Outcome =
	| { ok: true; status: number; excerpt: string; messageId: string | null }
	| { ok: false; status: number | null; excerpt: string; error: string; retryAfterMs: number | null; gone: string | null };

const JSON_HEADERS = { "content-type": "application/json", "user-agent": "Vigil (alert channels)" };

/**
 * A Standard Webhooks delivery: `webhook-id` (the same on every retry, so receivers can dedupe),
 * `webhook-timestamp` in seconds, and one `v1,` signature per secret (two during a rotation's overlap).
 */
export async function webhookRequest(url: string, secrets: readonly string[], id: string, body: string, now: Date): Promise<Outbound> {
	const timestamp = Math.floor(now.getTime() / 1000);
	const signatures = await Promise.all(secrets.map((s) => signPayload(s, id, timestamp, body)));
	return { url, body, headers: { ...JSON_HEADERS, "webhook-id": id, "webhook-timestamp": String(timestamp), "webhook-signature": signatures.join(" ") } };
}

export function slackRequest(url: string, message: unknown): Outbound {
	return { url, body: JSON.stringify(message), headers: JSON_HEADERS };
}

/** Bot API sendMessage in HTML mode, link previews off (one alert's link would fill the chat). */
export function telegramRequest(apiBase: string, botToken: string, chatId: string, text: string): Outbound {
	return {
		url: `${apiBase}/bot${botToken}/sendMessage`,
		body: JSON.stringify({ chat_id: chatId, text, parse_mode: "HTML", link_preview_options: { is_disabled: true } }),
		headers: JSON_HEADERS,
	};
}

/** Control characters out, credentials out, length bounded: what an answer or a ledger row may show of a receiver's words. */
export function excerptOf(text: string, secrets: readonly string[]): string {
	let out = text;
	for (const s of secrets) if (s.length >= 8) out = out.split(s).join("[redacted]");
	out = out
		.replace(/[\p{Cc}\u2028\u2029]+/gu, " ")
		.replace(/\s+/g, " ")
		.trim();
	return out.length > EXCERPT_MAX ? `${out.slice(0, EXCERPT_MAX - 1)}…` : out;
}

/** Retry-After as seconds or an HTTP date, in ms from `now`, capped; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: Date): number | null {
	if (!header) return null;
	const text = header.trim();
	const ms = /^\d{1,10}$/.test(text) ? Number(text) * 1000 : Date.parse(text) - now.getTime();
	return Number.isFinite(ms) ? Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms)) : null;
}

/** Telegram's answer to a method call. */
interface TelegramAnswer {
	ok?: boolean;
	description?: string;
	result?: { message_id?: number };
	parameters?: { retry_after?: number };
}

function telegramAnswer(text: string): TelegramAnswer {
	try {
		const parsed: unknown = JSON.parse(text);
		return typeof parsed === "object" && parsed !== null ? (parsed as TelegramAnswer) : {};
	} catch {
		return {};
	}
}

/** Telegram's words for a chat the bot can never reach again (until someone acts): the channel stops. */
const TELEGRAM_GONE = /chat not found|bot was blocked|bot was kicked|user is deactivated|bot is not a member/i;

/** What a receiver's answer means, per kind. */
function judge(kind: ChannelKind, status: number, headers: Headers, text: string, excerpt: string, now: Date): Outcome {
	if (kind === "telegram") {
		const answer = telegramAnswer(text);
		if (status >= 200 && status < 300 && answer.ok !== false) {
			const id = answer.result?.message_id;
			return { ok: true, status, excerpt, messageId: id !== undefined ? `telegram:${id}` : null };
		}
		const retryAfter =
			typeof answer.parameters?.retry_after === "number"
				? retryAfterMs(String(answer.parameters.retry_after), now)
				: retryAfterMs(headers.get("retry-after"), now);
		const description = answer.description ?? excerpt;
		// 401 is the bot token itself refused (revoked or mistyped): every retry would be refused alike.
		const gone = status === 401 || (status !== 429 && TELEGRAM_GONE.test(description)) ? `Telegram: ${excerptOf(description, [])}` : null;
		return { ok: false, status, excerpt, error: `HTTP ${status}: ${excerpt}`, retryAfterMs: status === 429 ? retryAfter : null, gone };
	}
	if (status >= 200 && status < 300) return { ok: true, status, excerpt, messageId: null };
	const gone =
		kind === "slack" && status === 410 ? `Slack answered 410 Gone (${excerpt || "no reason given"}): the webhook or its channel no longer exists` : null;
	return {
		ok: false,
		status,
		excerpt,
		error: `HTTP ${status}: ${excerpt}`,
		retryAfterMs: status === 429 ? retryAfterMs(headers.get("retry-after"), now) : null,
		gone,
	};
}

/** Makes one delivery and judges the answer; a network error or a timeout is a failed attempt like a 5xx. */
export async function deliver(kind: ChannelKind, request: Outbound, secrets: readonly string[], now: Date): Promise<Outcome> {
	let response: Response;
	try {
		response = await fetch(request.url, {
			method: "POST",
			headers: request.headers,
			body: request.body,
			redirect: "manual",
			signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
		});
	} catch (e) {
		const reason = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
		const excerpt = excerptOf(reason, secrets);
		return { ok: false, status: null, excerpt, error: `network error: ${excerpt}`, retryAfterMs: null, gone: null };
	}
	const text = await response.text().catch(() => "");
	return judge(kind, response.status, response.headers, text, excerptOf(text, secrets), now);
}
