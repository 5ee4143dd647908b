import { eq, getTableColumns, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type SourceRow, sources } from "../../db/schema";
import { decryptSecret } from "../../sources";
import { loadZoneSet, type ZoneShape, zoneSetVersion } from "../../zones";

/**
 * What webhook intake reads on every message but almost never changes (the sender's source row
 * with its secrets, and the zones), kept per isolate so that a warm message costs one D1 round
 * trip: its write. Nothing here is trusted blindly: the write carries `guard`, which fails its
 * batch when the source was deactivated or rotated, or a zone added, changed or deleted, since the
 * snapshot was read;
 * the receiver then calls `invalidate` and reads again.
 */

/** An active source as read, its secrets decrypted once. */
interface Sender {
	row: SourceRow;
	current: string;
	previous: string | null;
}

/** What a message is verified, placed and guarded against. */
export interface Snapshot {
	sender: Sender;
	zones: ZoneShape[];
	/** The zones' version when they were read (zones/queries.ts zoneSetVersion): any change of the set changes it. */
	zonesVersion: string;
}

interface ZoneSet {
	shapes: ZoneShape[];
	version: string;
}

interface IsolateCache {
	senders: Map<string, Sender>;
	zones: ZoneSet | null;
}

/** Sources are few; past this many, the cache starts over rather than grow without bound. */
const MAX_SOURCES = 1_000;
/** Keyed by the D1 binding, so two databases in one isolate (tests) never share a snapshot. */
const caches = new WeakMap<object, IsolateCache>();

function cacheOf(db: Db): IsolateCache {
	let cache = caches.get(db.$client);
	if (!cache) {
		cache = { senders: new Map(), zones: null };
		caches.set(db.$client, cache);
	}
	return cache;
}

/**
 * The source with this slug and the zones, from this isolate's copy or from D1. Unknown and
 * deactivated sources are never kept, so those answers are always D1's. A source read from D1
 * brings the zones' version along, so zones changed since they were read are read again then.
 */
export async function read(db: Db, slug: string, secretsKey: string | null): Promise<Snapshot | "unknown" | "inactive"> {
	const cache = cacheOf(db);
	let sender = cache.senders.get(slug);
	if (!sender) {
		const [found] = await db
			.select({ ...getTableColumns(sources), zonesVersion: zoneSetVersion })
			.from(sources)
			.where(eq(sources.slug, slug));
		if (!found) return "unknown";
		const { zonesVersion: version, ...row } = found;
		if (!row.active) return "inactive";
		sender = {
			row,
			current: await decryptSecret(secretsKey, row.secretEnc),
			previous: row.previousSecretEnc ? await decryptSecret(secretsKey, row.previousSecretEnc) : null,
		};
		if (cache.senders.size >= MAX_SOURCES) cache.senders.clear();
		cache.senders.set(slug, sender);
		if (cache.zones?.version !== version) cache.zones = null;
	}
	if (!cache.zones) {
		cache.zones = await loadZoneSet(db);
	}
	return { sender, zones: cache.zones.shapes, zonesVersion: cache.zones.version };
}

/** Forgets this source, so the next `read` takes it (and the zones' version) from D1. */
export function invalidate(db: Db, slug: string): void {
	cacheOf(db).senders.delete(slug);
}

/** The secrets a message may be signed with at `now`: the current one, and the previous until its grace ends. */
export function validSecrets({ row, current, previous }: Sender, now: Date): string[] {
	const expires = row.previousExpiresAt?.getTime() ?? 0;
	return previous !== null && expires > now.getTime() ? [current, previous] : [current];
}

/**
 * The source's id if the snapshot still holds (the source active with the secrets it was read
 * with, the zones the set they were read as), else NULL. A write files its receipt under this
 * value, in the statement that writes it: a stale snapshot then fails the receipt's NOT NULL
 * source_id, and with it the whole D1 batch.
 */
export const guard = sql<number | null>`(SELECT ${sources.id} FROM ${sources} WHERE ${sources.id} = ${sql.placeholder("sourceId")} AND ${sources.active} = 1
	AND ${sources.secretEnc} = ${sql.placeholder("secretEnc")} AND ${sources.previousExpiresAt} IS ${sql.placeholder("previousExpiresAt")}
	AND ${zoneSetVersion} IS ${sql.placeholder("zonesVersion")})`;

/** What `guard` checks a snapshot by, by placeholder name (the source's id among them). */
export function guardValues({ sender, zonesVersion }: Snapshot) {
	return { sourceId: sender.row.id, secretEnc: sender.row.secretEnc, previousExpiresAt: sender.row.previousExpiresAt?.getTime() ?? null, zonesVersion };
}

export type GuardValues = ReturnType<typeof guardValues>;
