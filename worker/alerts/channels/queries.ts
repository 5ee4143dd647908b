/** Channels: create, read, change, rotate, delete; the credentials stay encrypted (SECRETS_KEY) at rest. */
import { and, count, desc, eq, isNotNull, isNull, max } from "drizzle-orm";
import type { Db } from "../../db/client";
import { alerts, type ChannelRow, channels } from "../../db/schema";
import type { Config } from "../../env";
import { AppError } from "../../http/errors";
import { byIdAfter, paginateById } from "../../http/pagination";
import { decryptSecret, encryptSecret, generateSecret } from "../../sources";
import { checkFilters } from "../../subscribers";
import type { CreateChannelInput, UpdateChannelInput } from "./schema";
import { urlRuleBroken } from "./url-rules";

/** After a rotation, deliveries carry a signature with the old secret too for this long. */
export const ROTATION_OVERLAP_MS = 24 * 3_600_000;

const hintOf = (credential: string) => credential.slice(-4);

/** 422 unless the receiver URL is allowed (https, public address; localhost only on a local run). */
function checkUrl(url: string, appUrl: string): void {
	const broken = urlRuleBroken(url, appUrl);
	if (broken) throw new AppError("validation_failed", `The url ${broken}.`, { errors: [{ path: "/url", message: broken }] });
}

/** A Slack URL is a credential: in clear only its origin is kept, to show where it points. */
const slackOrigin = (url: string) => new URL(url).origin;

/**
 * Creates a channel. A webhook gets a fresh `whsec_` secret, returned here once; a Slack URL or a
 * bot token is the caller's own credential, stored encrypted and never answered again.
 */
export async function createChannel(db: Db, input: CreateChannelInput, config: Config, now: Date): Promise<{ row: ChannelRow; secret: string | null }> {
	const zones = [...new Set(input.zones ?? [])];
	const tags = [...new Set(input.tags ?? [])];
	if (input.kind !== "telegram") checkUrl(input.url, config.appUrl);
	await checkFilters(db, zones, tags);
	const secret = input.kind === "webhook" ? generateSecret() : null;
	const credential = input.kind === "webhook" ? (secret as string) : input.kind === "slack" ? input.url : input.bot_token;
	const [row] = await db
		.insert(channels)
		.values({
			kind: input.kind,
			name: input.name,
			zones,
			tags,
			language: input.language ?? "en",
			url: input.kind === "webhook" ? input.url : input.kind === "slack" ? slackOrigin(input.url) : null,
			chatId: input.kind === "telegram" ? input.chat_id : null,
			secretEnc: await encryptSecret(config.secretsKey, credential),
			secretHint: hintOf(credential),
			createdAt: now,
		})
		.returning();
	if (!row) throw new Error("channel insert returned nothing");
	return { row, secret };
}

/** A channel that was not deleted, by numeric id, or 404. */
export async function getChannel(db: Db, id: string): Promise<ChannelRow> {
	const row = /^\d{1,15}$/.test(id) ? await db.query.channels.findFirst({ where: and(eq(channels.id, Number(id)), isNull(channels.deletedAt)) }) : undefined;
	if (!row) throw new AppError("not_found", `No channel "${id}".`);
	return row;
}

/** Channels newest first, keyset-paginated; deleted ones are gone from every answer. */
export async function listChannels(db: Db, limit: number, cursorText: string | undefined) {
	const { after, orderBy } = byIdAfter(channels.id, cursorText, "desc");
	const rows = await db
		.select()
		.from(channels)
		.where(and(isNull(channels.deletedAt), after))
		.orderBy(orderBy)
		.limit(limit + 1);
	return paginateById(rows, limit);
}

/** Each field a kind does not have, as a 422 naming it. */
function checkFieldsForKind(row: ChannelRow, patch: UpdateChannelInput): void {
	const foreign: [keyof UpdateChannelInput, boolean][] = [
		["url", row.kind === "telegram"],
		["bot_token", row.kind !== "telegram"],
		["chat_id", row.kind !== "telegram"],
	];
	const errors = foreign
		.filter(([field, wrong]) => wrong && patch[field] !== undefined)
		.map(([field]) => ({ path: `/${field}`, message: `a ${row.kind} channel has no ${field}` }));
	if (errors.length > 0) throw new AppError("validation_failed", errors.map((e) => `${e.path}: ${e.message}`).join("; "), { errors });
}

/** Pending ledger rows of a channel, dropped when it stops (disabled by an admin, deleted): nothing is saved up. */
const dropPending = (db: Db, channelId: number) => db.delete(alerts).where(and(eq(alerts.channelId, channelId), eq(alerts.status, "pending")));

/**
 * PATCH: name, filters, the target (url, chat_id), the credential (a Slack URL, a bot token) and
 * active. Compare-and-set on updated_at, as subscribers are. Deactivating drops what is queued in
 * the same batch; reactivating clears the reason, whoever disabled it.
 */
export async function updateChannel(db: Db, id: string, patch: UpdateChannelInput, config: Config, now: Date): Promise<ChannelRow> {
	const current = await getChannel(db, id);
	checkFieldsForKind(current, patch);
	if (patch.url !== undefined) checkUrl(patch.url, config.appUrl);
	const zones = patch.zones && [...new Set(patch.zones)];
	const tags = patch.tags && [...new Set(patch.tags)];
	await checkFilters(db, zones ?? [], tags ?? []);
	const credential = current.kind === "slack" ? patch.url : current.kind === "telegram" ? patch.bot_token : undefined;
	const stopping = patch.active === false && current.disabledAt === null;
	const changes = {
		...(patch.name !== undefined && { name: patch.name }),
		...(zones && { zones }),
		...(tags && { tags }),
		...(patch.language !== undefined && { language: patch.language }),
		...(patch.chat_id !== undefined && { chatId: patch.chat_id }),
		...(patch.url !== undefined && { url: current.kind === "slack" ? slackOrigin(patch.url) : patch.url }),
		...(credential !== undefined && { secretEnc: await encryptSecret(config.secretsKey, credential), secretHint: hintOf(credential) }),
		...(patch.active === true && { disabledAt: null, disabledReason: null }),
		...(stopping && { disabledAt: now, disabledReason: "disabled by an admin" }),
		updatedAt: now,
	};
	const guarded = and(
		eq(channels.id, current.id),
		isNull(channels.deletedAt),
		current.updatedAt ? eq(channels.updatedAt, current.updatedAt) : isNull(channels.updatedAt),
	);
	const update = db.update(channels).set(changes).where(guarded).returning();
	const [updated] = stopping ? (await db.batch([update, dropPending(db, current.id)]))[0] : await update;
	if (!updated) throw new AppError("conflict", "The channel changed while this update was applied; fetch it and try again.");
	return updated;
}

/** DELETE: the row stays for the ledger's history, hidden from every answer; what is queued for it is dropped. */
export async function deleteChannel(db: Db, id: string, now: Date): Promise<void> {
	const current = await getChannel(db, id);
	await db.batch([
		db
			.update(channels)
			.set({ deletedAt: now, disabledAt: current.disabledAt ?? now, disabledReason: current.disabledReason ?? "deleted" })
			.where(eq(channels.id, current.id)),
		dropPending(db, current.id),
	]);
}

/**
 * Issues a webhook channel a new secret; deliveries carry signatures with both for 24 hours, so
 * the receiver can switch without refusing one. Compare-and-set on the stored ciphertext.
 */
export async function rotateChannel(db: Db, id: string, config: Config, now: Date): Promise<{ row: ChannelRow; secret: string }> {
	const current = await getChannel(db, id);
	if (current.kind !== "webhook") {
		const field = current.kind === "slack" ? "url" : "bot_token";
		throw new AppError("conflict", `Only webhook channels have a signing secret; give a ${current.kind} channel a new ${field} with PATCH.`);
	}
	const secret = generateSecret();
	const [row] = await db
		.update(channels)
		.set({
			secretEnc: await encryptSecret(config.secretsKey, secret),
			secretHint: hintOf(secret),
			previousSecretEnc: current.secretEnc,
			previousExpiresAt: new Date(now.getTime() + ROTATION_OVERLAP_MS),
			rotatedAt: now,
			updatedAt: now,
		})
		.where(and(eq(channels.id, current.id), eq(channels.secretEnc, current.secretEnc)))
		.returning();
	if (!row) throw new AppError("conflict", "The channel was rotated concurrently; read it again and retry.");
	return { row, secret };
}

/** The plaintext credentials a delivery needs now: the current one, and a webhook's previous secret while its overlap lasts. */
export async function credentialsOf(row: ChannelRow, secretsKey: string | null, now: Date): Promise<string[]> {
	const current = await decryptSecret(secretsKey, row.secretEnc);
	const overlap = row.previousSecretEnc && row.previousExpiresAt && row.previousExpiresAt.getTime() > now.getTime();
	return overlap && row.previousSecretEnc ? [current, await decryptSecret(secretsKey, row.previousSecretEnc)] : [current];
}

/** Channels that get alerts now: not deleted, not disabled. */
export function activeChannels(db: Db): Promise<ChannelRow[]> {
	return db
		.select()
		.from(channels)
		.where(and(isNull(channels.disabledAt), isNull(channels.deletedAt)));
}

/** Stops a channel whose receiver says its target is gone (a statement for the caller's batch); an admin's PATCH resumes it. */
export function disableChannel(db: Db, channelId: number, reason: string, now: Date) {
	return db
		.update(channels)
		.set({ disabledAt: now, disabledReason: reason.slice(0, 500), updatedAt: now })
		.where(and(eq(channels.id, channelId), isNull(channels.disabledAt)));
}

/** At most this many channels in each /status list. */
const HEALTH_LIMIT = 20;

/**
 * For /status: channels disabled (not deleted) with why, and channels with alerts waiting to be
 * retried, with the last error. Both lists read small sets: channels, and pending ledger rows.
 */
export async function channelHealth(db: Db) {
	const [disabled, retrying] = await Promise.all([
		db
			.select({ id: channels.id, kind: channels.kind, name: channels.name, disabledAt: channels.disabledAt, reason: channels.disabledReason })
			.from(channels)
			.where(and(isNotNull(channels.disabledAt), isNull(channels.deletedAt)))
			.orderBy(desc(channels.disabledAt))
			.limit(HEALTH_LIMIT),
		db
			.select({ id: channels.id, kind: channels.kind, name: channels.name, pending: count(), lastError: max(alerts.lastError) })
			.from(alerts)
			.innerJoin(channels, eq(channels.id, alerts.channelId))
			.where(and(eq(alerts.status, "pending"), isNotNull(alerts.lastError)))
			.groupBy(channels.id)
			.limit(HEALTH_LIMIT),
	]);
	return {
		disabled: disabled.map((c) => ({ id: c.id, kind: c.kind, name: c.name, disabled_at: c.disabledAt?.toISOString() ?? null, reason: c.reason })),
		retrying: retrying.map((c) => ({ id: c.id, kind: c.kind, name: c.name, pending: c.pending, last_error: c.lastError })),
	};
}
