import { eq, getTableColumns, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type SourceRow, sources } from "../../db/schema";
import { decryptSecret, sourcesGeneration } from "../../sources";
import { loadZoneSet, type ZoneShape, zoneSetVersion } from "../../zones";

/**
 * What webhook intake reads on every message but almost never changes (the sender's source row
 * with its secrets, and the zones), kept per isolate so that a warm message costs one D1 round
 * trip: its write. Nothing here is trusted blindly: the write carries `guard`, which fails its
 * batch when the source was deactivated or rotated, or a zone added, changed or deleted, since
 * the snapshot was read; the receiver then calls `invalidate` and reads again. A refused message
 * may read again only once the entry is older than SOURCE_TRUST_MS, so refusals cost no more D1
 * reads than acceptances; that slugs name no source is remembered as long, so unknown slugs cost no more.
 */

/** A source as read, active or not, its secrets decrypted once (a deactivated one's still verify, to answer 403 only to its sender). */
export interface Sender {
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

/**
 * A slug as this isolate knows it. `fresh` says the source was read from D1 less than
 * SOURCE_TRUST_MS ago: a refusal against an older entry is worth one more read (another isolate
 * may have rotated or reactivated the source since), against a fresh one it is final.
 */
export type Lookup = { state: "active"; snapshot: Snapshot; fresh: boolean } | { state: "inactive"; sender: Sender; fresh: boolean } | { state: "unknown" };

/** How long a source read from D1 (or the absence of one) is trusted before a refused message reads it again. */
export const SOURCE_TRUST_MS = 10_000;

interface Entry {
	sender: Sender;
	readAt: number;
	generation: number;
}

interface Absence {
	readAt: number;
	generation: number;
}

interface ZoneSet {
	shapes: ZoneShape[];
	version: string;
}

interface IsolateCache {
	senders: Map<string, Entry>;
	unknown: Map<string, Absence>;
	zones: ZoneSet | null;
}

/** Sources are few; past this many entries a map starts over rather than grow (unknown slugs have their own, so they cannot evict senders). */
const MAX_ENTRIES = 1_000;
/** Keyed by the D1 binding (not the request's session), so two databases in one isolate (tests) never share a snapshot. */
const caches = new WeakMap<object, IsolateCache>();

function cacheOf(db: Db): IsolateCache {
	let cache = caches.get(db.$binding);
	if (!cache) {
		cache = { senders: new Map(), unknown: new Map(), zones: null };
		caches.set(db.$binding, cache);
	}
	return cache;
}

function remember<V>(map: Map<string, V>, slug: string, value: V): void {
	if (map.size >= MAX_ENTRIES) map.clear();
	map.set(slug, value);
}

/**
 * The source with this slug (and, if it is active, the zones), from this isolate's copy or from
 * D1. What was read before this isolate last wrote a source is read again. A source read from D1
 * brings the zones' version along, so zones changed since they were read are read again then.
 */
export async function read(db: Db, slug: string, secretsKey: string | null, now: Date): Promise<Lookup> {
	const cache = cacheOf(db);
	const generation = sourcesGeneration();
	const at = now.getTime();
	const absent = cache.unknown.get(slug);
	if (absent && absent.generation === generation && at - absent.readAt < SOURCE_TRUST_MS) return { state: "unknown" };
	let entry = cache.senders.get(slug);
	if (!entry || entry.generation !== generation) {
		const [found] = await db
			.select({ ...getTableColumns(sources), zonesVersion: zoneSetVersion })
			.from(sources)
			.where(eq(sources.slug, slug));
		if (!found) {
			cache.senders.delete(slug);
			remember(cache.unknown, slug, { readAt: at, generation });
			return { state: "unknown" };
		}
		cache.unknown.delete(slug);
		const { zonesVersion: version, ...row } = found;
		const sender = {
			row,
			current: await decryptSecret(secretsKey, row.secretEnc),
			previous: row.previousSecretEnc ? await decryptSecret(secretsKey, row.previousSecretEnc) : null,
		};
		entry = { sender, readAt: at, generation };
		remember(cache.senders, slug, entry);
		if (cache.zones?.version !== version) cache.zones = null;
	}
	const fresh = at - entry.readAt < SOURCE_TRUST_MS;
	if (!entry.sender.row.active) return { state: "inactive", sender: entry.sender, fresh };
	if (!cache.zones) {
		cache.zones = await loadZoneSet(db);
	}
	return { state: "active", snapshot: { sender: entry.sender, zones: cache.zones.shapes, zonesVersion: cache.zones.version }, fresh };
}

/** Forgets what this isolate knows of the slug, so the next `read` takes it (and the zones' version) from D1. */
export function invalidate(db: Db, slug: string): void {
	const cache = cacheOf(db);
	cache.senders.delete(slug);
	cache.unknown.delete(slug);
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
