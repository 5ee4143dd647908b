/**
 * Sends what the ledger has pending: one email (or channel message) per recipient per run, each
 * row claimed before sending and marked after. A failure touches only that recipient's rows.
 */
import { eq } from "drizzle-orm";
import type { JobContext } from "../cron/jobs";
import { type AlertRow, subscribers } from "../db/schema";
import { errorMessage } from "../log";
import { suppressSubscriber, unsubscribeUrl } from "../subscribers";
import { ackLink } from "./ack-link";
import { sendToChannel } from "./channels/send";
import { loadItems } from "./content";
import { composeEmail } from "./email/compose";
import { claim, dropClaimed, duePending, giveUp, markFailed, markSent, type SendCounts } from "./ledger";

/** At most this many ledger rows per run; the rest wait for the next run. */
const ROWS_PER_RUN = 200;
/** At most this many items in one email (and bound parameters in one D1 statement stay under 100). */
const ROWS_PER_EMAIL = 50;
/** At most this many alerts in one chat message (Slack's 50 blocks, Telegram's 4,096 characters) or webhook deliveries per run. */
const ROWS_PER_CHANNEL = 10;
/** Channels served at once: a slow receiver (up to its timeout) holds one slot, never the others. */
const CHANNEL_CONCURRENCY = 6;

/** "E_RATE_LIMIT_EXCEEDED: ..." from the binding's error (it carries a `code`), for last_error. */
export function describeSendError(e: unknown): string {
	if (e instanceof Error) {
		const code = "code" in e && typeof e.code === "string" ? `${e.code}: ` : "";
		return `${code}${errorMessage(e)}`;
	}
	return String(e);
}

/** The binding's answer when Email Service has the address on its suppression list (a bounce or a complaint it saw). */
const RECIPIENT_SUPPRESSED = "E_RECIPIENT_SUPPRESSED";
const isRecipientSuppressed = (e: unknown) => e instanceof Error && "code" in e && e.code === RECIPIENT_SUPPRESSED;

/** Claims, composes, sends and marks one recipient's rows. */
async function sendTo(ctx: JobContext, recipient: string, ids: number[], counts: SendCounts): Promise<void> {
	const { db, now, config } = ctx;
	const claimed = await claim(db, ids, now);
	const { leaseUntil } = claimed;
	let rows = claimed.rows;
	if (rows.length === 0) return; // another run holds them
	let sent = false;
	const subscriberId = rows.find((r) => r.subscriberId !== null)?.subscriberId ?? null;
	try {
		const subscriber = subscriberId !== null ? await db.query.subscribers.findFirst({ where: eq(subscribers.id, subscriberId) }) : undefined;
		if (!subscriber || subscriber.unsubscribedAt || subscriber.paused) {
			// Unsubscribed or paused after these were queued: they are dropped, not sent (nor kept for a resume).
			await dropClaimed(db, rows, leaseUntil);
			return;
		}
		if (subscriber.suppressedAt) {
			// Bounced or complained after these were queued: given up, and the ledger says why.
			await giveUp(db, rows, leaseUntil, `suppressed (${subscriber.suppressedReason})`, now);
			counts.failed += rows.length;
			return;
		}
		const { items, stale } = await loadItems(db, rows, subscriber, now);
		if (stale.length > 0) {
			// Queued before the milestone was settled (or retried since): old news is not sent.
			await dropClaimed(db, stale, leaseUntil);
			rows = rows.filter((r) => !stale.includes(r));
			if (rows.length === 0) return;
		}
		// Overdue notices and reminders carry their acknowledge link.
		for (const item of items) if (item.kind === "overdue") item.ackUrl = await ackLink(config.appUrl, config.secretsKey, item.alertId, subscriber.language);
		const message = composeEmail({
			from: config.alertFrom,
			to: recipient,
			appUrl: config.appUrl,
			unsubscribeUrl: unsubscribeUrl(config.appUrl, subscriber.unsubscribeToken),
			now,
			language: subscriber.language,
			items,
		});
		const result = await ctx.email.send(message);
		sent = true;
		const digest = rows.find((r) => r.kind === "digest");
		const marked = markSent(db, rows, leaseUntil, result.messageId, now);
		// The digest window moves in the same batch, so a sent digest is never repeated.
		if (digest?.dueAt) await db.batch([marked, db.update(subscribers).set({ lastDigestAt: digest.dueAt }).where(eq(subscribers.id, subscriber.id))]);
		else await marked;
		counts.emails++;
		counts.sent += rows.length;
	} catch (e) {
		// Sent but not marked (D1 failed just then): not a send failure. The rows keep their lease
		// and a later run sends them again when it runs out: the one case where a recipient can get
		// a message twice, chosen over marking an unsent message sent.
		if (sent) throw e;
		const error = describeSendError(e);
		console.error(`sending alert rows ${rows.map((r) => r.id).join(",")} failed: ${error}`);
		if (isRecipientSuppressed(e) && subscriberId !== null) {
			// Retrying cannot help: the subscriber is suppressed as a bounce would, and these rows given up.
			await db.batch([suppressSubscriber(db, subscriberId, "provider_suppressed", now), giveUp(db, rows, leaseUntil, error, now)]);
			counts.failed += rows.length;
			return;
		}
		const failed = await markFailed(db, rows, leaseUntil, error, config.alerts, now);
		counts.failed += failed;
		counts.retrying += rows.length - failed;
	}
}

/**
 * The most D1 round trips one recipient's send makes for `rows` rows: the claim, the subscriber or
 * the channel, the rows' milestones, revisions and zones, at most two a row (a milestone's related
 * zones and their incidents, a digest's counts and what is coming, a surge's counts and incidents),
 * and the mark or the failure. A test counts what a send makes against it.
 */
export const sendRoundTrips = (rows: number): number => 6 + 2 * rows;

/** The same for a channel's send: a webhook delivers and marks each row on its own, one more a row. */
export const channelRoundTrips = (rows: number): number => 6 + 3 * rows;

/** Round trips a sweep keeps back for what follows its sending (pruning, retention, tidying) and its run's record. */
export const AFTER_SENDING = 30;

/**
 * Each channel's pending rows (at most ROWS_PER_CHANNEL a send), a few channels at a time; one
 * channel's trouble stays its own. A channel starts only if its send's most still fits in what the
 * run has left, counting the most of every send under way as spent (what they have used so far is
 * counted twice, which errs on the safe side); one that does not fit waits for a send under way to
 * end, and when none is, its rows stay pending for the next run (`deferred`).
 */
async function sendToChannels(ctx: JobContext, groups: Iterable<[number, AlertRow[]]>, counts: SendCounts): Promise<void> {
	const running = new Set<Promise<void>>();
	let reserved = 0;
	const fits = (cost: number) => ctx.queries.allows(reserved + cost + AFTER_SENDING);
	for (const [channelId, all] of groups) {
		const rows = all.slice(0, ROWS_PER_CHANNEL);
		const cost = channelRoundTrips(rows.length);
		while (running.size > 0 && (running.size >= CHANNEL_CONCURRENCY || !fits(cost))) await Promise.race(running);
		if (!fits(cost)) {
			counts.deferred += all.length;
			continue;
		}
		reserved += cost;
		const send = sendToChannel(
			ctx,
			channelId,
			rows.map((r) => r.id),
			counts,
		)
			.catch((e: unknown) => {
				// Claim or mark failed (D1 trouble): leave these rows to their lease and go on.
				console.error(`sending alerts to channel ${channelId} stopped: ${describeSendError(e)}`);
			})
			.finally(() => {
				reserved -= cost;
				running.delete(send);
			});
		running.add(send);
	}
	await Promise.all(running);
}

/**
 * Sends every pending row whose time has come (up to ROWS_PER_RUN), one email or channel message
 * per recipient, as many recipients as the run's D1 round trips allow (`deferred` counts the rows
 * left for the next run).
 */
export async function sendPending(ctx: JobContext): Promise<SendCounts> {
	const pending = await duePending(ctx.db, ctx.now, ROWS_PER_RUN);
	const byRecipient = new Map<string, AlertRow[]>();
	const byChannel = new Map<number, AlertRow[]>();
	for (const row of pending) {
		if (row.channelId !== null) byChannel.set(row.channelId, [...(byChannel.get(row.channelId) ?? []), row]);
		else byRecipient.set(row.recipient, [...(byRecipient.get(row.recipient) ?? []), row]);
	}
	const counts: SendCounts = { emails: 0, messages: 0, sent: 0, retrying: 0, failed: 0, deferred: 0 };
	// Channels are served a few at once, emails one after another; each send is reckoned against the
	// round trips left when it starts.
	await sendToChannels(ctx, byChannel, counts);
	for (const [recipient, all] of byRecipient) {
		const rows = all.slice(0, ROWS_PER_EMAIL);
		if (!ctx.queries.allows(sendRoundTrips(rows.length) + AFTER_SENDING)) {
			counts.deferred += all.length;
			continue;
		}
		try {
			await sendTo(
				ctx,
				recipient,
				rows.map((r) => r.id),
				counts,
			);
		} catch (e) {
			// Claim or mark failed (D1 trouble): leave these rows to their lease and go on.
			console.error(`sending alerts to one recipient stopped: ${describeSendError(e)}`);
		}
	}
	return counts;
}
