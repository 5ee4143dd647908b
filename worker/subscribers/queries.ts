import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { alerts, milestones, type SubscriberRow, subscribers, zones } from "../db/schema";
import { AppError, type FieldError } from "../http/errors";
import { byIdAfter, paginateById } from "../http/pagination";
import type { CreateSubscriberInput, UpdateSubscriberInput } from "./schema";
import { newToken, TOKEN_SHAPE } from "./tokens";

/** Filters must name zones and tags that exist, or the recipient (a subscriber or a channel) would silently get nothing. */
export async function checkFilters(db: Db, zoneSlugs: string[], tags: string[]): Promise<void> {
	const errors: FieldError[] = [];
	if (zoneSlugs.length > 0) {
		const known = new Set((await db.select({ slug: zones.slug }).from(zones).where(inArray(zones.slug, zoneSlugs))).map((z) => z.slug));
		for (const [i, z] of zoneSlugs.entries()) if (!known.has(z)) errors.push({ path: `/zones/${i}`, message: `no zone "${z}"` });
	}
	for (const [i, tag] of tags.entries()) {
		const used = await db
			.select({ id: milestones.id })
			.from(milestones)
			.where(sql`EXISTS (SELECT 1 FROM json_each(${milestones.tags}) WHERE json_each.value = ${tag})`)
			.limit(1);
		if (used.length === 0) errors.push({ path: `/tags/${i}`, message: `no milestone has the tag "${tag}"` });
	}
	if (errors.length > 0) throw new AppError("validation_failed", errors.map((e) => e.message).join("; "), { errors });
}

/**
 * Adds a recipient, recording the admin's word for their consent. An address that unsubscribed
 * is added again only when the request says it consented anew (`resubscribe`): then with the new
 * filters, a fresh unsubscribe token (links from the old subscription stop working) and a digest
 * window that starts over, in the one upsert, so a concurrent create cannot slip in between.
 */
export async function createSubscriber(db: Db, input: CreateSubscriberInput, now: Date): Promise<SubscriberRow> {
	const email = input.email.toLowerCase();
	const zoneSlugs = [...new Set(input.zones ?? [])];
	const tags = [...new Set(input.tags ?? [])];
	await checkFilters(db, zoneSlugs, tags);
	const values = { name: input.name ?? null, zones: zoneSlugs, tags, digest: input.digest ?? true, paused: input.paused ?? false };
	const insert = db.insert(subscribers).values({ email, ...values, unsubscribeToken: newToken(), consentAt: now, consentSource: "admin", createdAt: now });
	const [row] = input.resubscribe
		? await insert
				.onConflictDoUpdate({
					target: subscribers.email,
					set: {
						...values,
						unsubscribeToken: newToken(),
						unsubscribedAt: null,
						lastDigestAt: null,
						consentAt: now,
						consentSource: "admin_resubscribe",
						updatedAt: now,
					},
					setWhere: sql`${subscribers.unsubscribedAt} IS NOT NULL`,
				})
				.returning()
		: await insert.onConflictDoNothing({ target: subscribers.email }).returning();
	if (!row) throw await whyNotAdded(db, email);
	return row;
}

/** The 409 for an address that is already there: subscribed, or unsubscribed and not re-consented. */
async function whyNotAdded(db: Db, email: string): Promise<AppError> {
	const existing = await db.query.subscribers.findFirst({ where: eq(subscribers.email, email), columns: { unsubscribedAt: true } });
	if (existing?.unsubscribedAt) {
		const message = `unsubscribed on ${existing.unsubscribedAt.toISOString()}: add it again only with the recipient's new consent, and say so with "resubscribe": true`;
		return new AppError("conflict", `"${email}" ${message}.`, { errors: [{ path: "/email", message }] });
	}
	return new AppError("conflict", `"${email}" is already subscribed.`, { errors: [{ path: "/email", message: "already subscribed" }] });
}

/** Subscribers newest first, with a keyset cursor on id. */
export async function listSubscribers(db: Db, limit: number, cursorText: string | undefined) {
	const { after, orderBy } = byIdAfter(subscribers.id, cursorText, "desc");
	const rows = await db
		.select()
		.from(subscribers)
		.where(after)
		.orderBy(orderBy)
		.limit(limit + 1);
	return paginateById(rows, limit);
}

/**
 * Stops all mail to a subscriber: marks the row (its ledger history stays) and drops what is
 * still queued for them, in one batch. Idempotent: a second call changes nothing.
 */
async function unsubscribe(db: Db, row: SubscriberRow, now: Date): Promise<SubscriberRow> {
	if (row.unsubscribedAt) return row;
	const [[updated]] = await db.batch([
		db
			.update(subscribers)
			.set({ unsubscribedAt: now })
			.where(and(eq(subscribers.id, row.id), isNull(subscribers.unsubscribedAt)))
			.returning(),
		db.delete(alerts).where(and(eq(alerts.subscriberId, row.id), eq(alerts.status, "pending"))),
	]);
	return updated ?? row;
}

/** GET /api/subscribers/:id (admin). */
export async function getSubscriber(db: Db, id: string): Promise<SubscriberRow> {
	const row = /^\d{1,15}$/.test(id) ? await db.query.subscribers.findFirst({ where: eq(subscribers.id, Number(id)) }) : undefined;
	if (!row) throw new AppError("not_found", `No subscriber "${id}".`);
	return row;
}

/**
 * PATCH /api/subscribers/:id (admin): filters, name, digest, pause. Guarded by compare-and-set
 * on updated_at, as milestones are. Pausing drops what is queued for them in the same batch, as
 * unsubscribing does: what they would have got while paused is not saved up for the resume.
 */
export async function updateSubscriber(db: Db, id: string, patch: UpdateSubscriberInput, now: Date): Promise<SubscriberRow> {
	const current = await getSubscriber(db, id);
	if (current.unsubscribedAt) {
		throw new AppError(
			"conflict",
			`Subscriber ${current.id} unsubscribed on ${current.unsubscribedAt.toISOString()}; only POST /api/subscribers with "resubscribe": true, on their new consent, brings them back.`,
		);
	}
	const zoneSlugs = patch.zones && [...new Set(patch.zones)];
	const tags = patch.tags && [...new Set(patch.tags)];
	await checkFilters(db, zoneSlugs ?? [], tags ?? []);
	const pausing = patch.paused === true && !current.paused;
	// Mail that was off starts again with a digest of the day before, as a first digest does, not
	// of everything since the last one.
	const mailResumes = (patch.paused === false && current.paused) || (patch.digest === true && !current.digest);
	const changes = {
		...(patch.name !== undefined && { name: patch.name }),
		...(zoneSlugs && { zones: zoneSlugs }),
		...(tags && { tags }),
		...(patch.digest !== undefined && { digest: patch.digest }),
		...(patch.paused !== undefined && { paused: patch.paused }),
		...(mailResumes && { lastDigestAt: null }),
		updatedAt: now,
	};
	const guarded = and(
		eq(subscribers.id, current.id),
		current.updatedAt ? eq(subscribers.updatedAt, current.updatedAt) : isNull(subscribers.updatedAt),
		isNull(subscribers.unsubscribedAt),
	);
	const update = db.update(subscribers).set(changes).where(guarded).returning();
	const [updated] = pausing
		? (
				await db.batch([
					update,
					// Only if they are paused now (the guarded update won, or another pause did).
					db
						.delete(alerts)
						.where(
							and(
								eq(alerts.subscriberId, current.id),
								eq(alerts.status, "pending"),
								sql`EXISTS (SELECT 1 FROM ${subscribers} WHERE ${subscribers.id} = ${current.id} AND ${subscribers.paused} = 1)`,
							),
						),
				])
			)[0]
		: await update;
	if (!updated) throw new AppError("conflict", "The subscriber changed while this update was applied; fetch it and try again.");
	return updated;
}

/** DELETE /api/subscribers/:id (admin). */
export async function removeSubscriber(db: Db, id: string, now: Date): Promise<SubscriberRow> {
	return unsubscribe(db, await getSubscriber(db, id), now);
}

/** Finds the subscriber a link belongs to; the token is the only credential. */
export async function findByToken(db: Db, token: string): Promise<SubscriberRow> {
	const row = TOKEN_SHAPE.test(token) ? await db.query.subscribers.findFirst({ where: eq(subscribers.unsubscribeToken, token) }) : undefined;
	if (!row) throw new AppError("not_found", "This unsubscribe link is not valid.");
	return row;
}

/** POST /unsubscribe/:token (RFC 8058 one-click). */
export async function unsubscribeByToken(db: Db, token: string, now: Date): Promise<SubscriberRow> {
	return unsubscribe(db, await findByToken(db, token), now);
}

/** Everyone who gets mail now: not paused, not unsubscribed, not suppressed (bounced or complained). */
export function activeSubscribers(db: Db): Promise<SubscriberRow[]> {
	return db
		.select()
		.from(subscribers)
		.where(and(eq(subscribers.paused, false), isNull(subscribers.unsubscribedAt), isNull(subscribers.suppressedAt)));
}

/** Does this subscriber follow a milestone with these tags? An empty filter means everything. */
export const wantsMilestone = (s: Pick<SubscriberRow, "tags">, tags: readonly string[]) => s.tags.length === 0 || s.tags.some((t) => tags.includes(t));
/** Does this subscriber follow this zone (surges, digest incidents)? An empty filter means every zone. */
export const wantsZone = (s: Pick<SubscriberRow, "zones">, zoneSlug: string) => s.zones.length === 0 || s.zones.includes(zoneSlug);
