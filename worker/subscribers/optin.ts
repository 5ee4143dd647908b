/**
 * Subscribing from a page with double opt-in: a request per address, one confirmation mailed per
 * hour at most, and the subscription made only when the link's owner confirms. Requests live in
 * their own table, never in `subscribers`, so nothing that picks recipients can see them.
 */
import { and, eq, inArray, isNotNull, lte, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { type PageRow, pages, pendingSubscriptions, subscribers } from "../db/schema";
import { AppError } from "../http/errors";
import { expiryOf, isLive, resendBound } from "./optin-rules";
import { hashToken, newToken, TOKEN_SHAPE } from "./tokens";

/** The page a form posts to: public pages only; a private one is as unknown as a missing one. */
export async function publicPage(db: Db, slug: string): Promise<PageRow> {
	const page = await db.query.pages.findFirst({ where: and(eq(pages.slug, slug), eq(pages.visibility, "public")) });
	if (!page) throw new AppError("not_found", `No public page "${slug}".`);
	return page;
}

/**
 * Records that `email` asked to follow `page`, in one statement whatever the address's state, so
 * the answer's timing says nothing about it. Returns the token to mail, or null when nothing is
 * to be sent: the address is subscribed (it is left as it is), or its last confirmation went out
 * less than an hour ago. An address that unsubscribed may ask again. Atomic: of many posts at
 * once, one gets the token.
 */
export async function requestOptIn(db: Db, page: PageRow, email: string, now: Date): Promise<string | null> {
	const address = email.toLowerCase();
	const token = newToken();
	const subscribed = sql`EXISTS (SELECT 1 FROM ${subscribers} WHERE ${subscribers.email} = ${address} AND ${subscribers.unsubscribedAt} IS NULL)`;
	// INSERT … SELECT … WHERE: drizzle's insert builder cannot make the insert itself conditional.
	const rows = await db.all<{ id: number }>(sql`
		INSERT INTO ${pendingSubscriptions} (email, page_id, token_hash, sent_at, expires_at)
		SELECT ${address}, ${page.id}, ${await hashToken(token)}, ${now.getTime()}, ${expiryOf(now).getTime()} WHERE NOT ${subscribed}
		ON CONFLICT (email) DO UPDATE SET page_id = excluded.page_id, token_hash = excluded.token_hash, sent_at = excluded.sent_at, expires_at = excluded.expires_at
		WHERE ${pendingSubscriptions.sentAt} <= ${resendBound(now).getTime()} AND NOT ${subscribed}
		RETURNING id`);
	return rows.length > 0 ? token : null;
}

/** After a confirmation could not be sent: the next post may send one at once instead of an hour later. */
export async function releaseOptIn(db: Db, token: string): Promise<void> {
	await db
		.update(pendingSubscriptions)
		.set({ sentAt: new Date(0) })
		.where(eq(pendingSubscriptions.tokenHash, await hashToken(token)));
}

/** A confirmation link's request and its page; 404 when unknown (or used), 410 when expired or the page is no longer public. */
export async function findOptIn(db: Db, token: string, now: Date) {
	const [found] = TOKEN_SHAPE.test(token)
		? await db
				.select({ request: pendingSubscriptions, page: pages })
				.from(pendingSubscriptions)
				.innerJoin(pages, eq(pages.id, pendingSubscriptions.pageId))
				.where(eq(pendingSubscriptions.tokenHash, await hashToken(token)))
		: [];
	if (!found) throw new AppError("not_found", "This confirmation link is not valid: it may have been used already, or replaced by a newer one.");
	if (!isLive(found.request.expiresAt, now)) throw new AppError("gone", "This confirmation link has expired: subscribe again from the page.");
	if (found.page.visibility !== "public") throw new AppError("gone", "This page no longer takes subscriptions.");
	return found;
}

/**
 * Confirms: the address becomes a subscriber with the page's filters and language, its consent
 * recorded as now, and the request is gone, in one batch. A live subscription is left as it is
 * (an admin may have added the address meanwhile); one that had unsubscribed starts afresh,
 * with a new unsubscribe link. Suppression (a bounce) is not lifted: that stays an admin's call.
 */
export async function confirmOptIn(db: Db, token: string, now: Date) {
	const { request, page } = await findOptIn(db, token, now);
	const chosen = {
		tags: page.tags,
		zones: page.zones,
		language: page.language,
		digest: true,
		paused: false,
		consentAt: now,
		consentSource: "page_double_opt_in" as const,
	};
	await db.batch([
		db
			.insert(subscribers)
			.values({ email: request.email, ...chosen, unsubscribeToken: newToken(), createdAt: now })
			.onConflictDoUpdate({
				target: subscribers.email,
				set: { ...chosen, unsubscribeToken: newToken(), unsubscribedAt: null, lastDigestAt: null, updatedAt: now },
				setWhere: isNotNull(subscribers.unsubscribedAt),
			}),
		db.delete(pendingSubscriptions).where(and(eq(pendingSubscriptions.id, request.id), eq(pendingSubscriptions.tokenHash, request.tokenHash))),
	]);
	return { email: request.email, page };
}

/** Rows per delete, and deletes per run: an hourly chore that never holds D1 for long. */
const PRUNE_BATCH = 500;
const PRUNE_BATCHES = 10;

/** Deletes requests whose link has expired, in bounded batches; returns how many. For the sweep. */
export async function pruneOptIns(db: Db, now: Date): Promise<number> {
	let deleted = 0;
	for (let i = 0; i < PRUNE_BATCHES; i++) {
		const expired = db.select({ id: pendingSubscriptions.id }).from(pendingSubscriptions).where(lte(pendingSubscriptions.expiresAt, now)).limit(PRUNE_BATCH);
		const { meta } = await db.delete(pendingSubscriptions).where(inArray(pendingSubscriptions.id, expired)).run();
		deleted += meta.changes;
		if (meta.changes < PRUNE_BATCH) break;
	}
	return deleted;
}
