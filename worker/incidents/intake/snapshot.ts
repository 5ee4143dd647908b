import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type SourceRow, sources } from "../../db/schema";
import { decryptSecret } from "../../sources";
import type { ZoneShape } from "../../zones";
import { loadZoneShapes } from "../write";

/**
 * What webhook intake reads on every message but almost never changes (the sender's source row
 * and secrets, the zones), kept per isolate so that a message costs one D1 round trip, its write.
 * Nothing here is trusted blindly: that write carries a guard (the delivery row's `source_id`, see
 * deliveries.ts) that aborts its batch when the source was deactivated or rotated, or a zone was
 * added, since this snapshot was read; the caller then forgets it and starts again.
 */

/** A source as this isolate last read it, with its secrets decrypted once. */
export interface KnownSource {
	row: SourceRow;
	current: string;
	previous: string | null;
}

/** Every zone, and the highest zone id as the version of the set (zones are only ever added). */
export interface ZoneSnapshot {
	shapes: ZoneShape[];
	version: number | null;
}

interface IsolateCache {
	sources: Map<string, KnownSource>;
	zones: ZoneSnapshot | null;
}

/** Sources are few; past this many, the cache starts over rather than grow without bound. */
const MAX_SOURCES = 1_000;
/** Keyed by the D1 binding, so two databases in one isolate (tests) never share a snapshot. */
const caches = new WeakMap<object, IsolateCache>();

function cacheOf(db: Db): IsolateCache {
	let cache = caches.get(db.$client);
	if (!cache) {
		cache = { sources: new Map(), zones: null };
		caches.set(db.$client, cache);
	}
	return cache;
}

/**
 * The active source with this slug: from the cache, or (when missing or `fresh`) from D1.
 * Unknown and deactivated sources are never cached, so their answers are always current.
 */
export async function knownSource(db: Db, slug: string, secretsKey: string | null, fresh: boolean): Promise<KnownSource | SourceRow | null> {
	const cache = cacheOf(db);
	const hit = fresh ? undefined : cache.sources.get(slug);
	if (hit) return hit;
	cache.sources.delete(slug);
	const row = await db.query.sources.findFirst({ where: eq(sources.slug, slug) });
	if (!row?.active) return row ?? null;
	const known: KnownSource = {
		row,
		current: await decryptSecret(secretsKey, row.secretEnc),
		previous: row.previousSecretEnc ? await decryptSecret(secretsKey, row.previousSecretEnc) : null,
	};
	if (cache.sources.size >= MAX_SOURCES) cache.sources.clear();
	cache.sources.set(slug, known);
	return known;
}

/** The secrets a message may be signed with at `now`: the current one, and the previous until its grace ends. */
export function validSecrets({ row, current, previous }: KnownSource, now: Date): string[] {
	const expires = row.previousExpiresAt?.getTime() ?? 0;
	return previous !== null && expires > now.getTime() ? [current, previous] : [current];
}

/** Every zone with its polygon, for assignment: from the cache, or (when missing or `fresh`) from D1. */
export async function zoneSnapshot(db: Db, fresh: boolean): Promise<ZoneSnapshot> {
	const cache = cacheOf(db);
	if (cache.zones && !fresh) return cache.zones;
	const shapes = await loadZoneShapes(db);
	const snapshot = { shapes, version: shapes.reduce<number | null>((v, z) => (v === null || z.id > v ? z.id : v), null) };
	cache.zones = snapshot;
	return snapshot;
}

/** Drops what this isolate remembers for the source and the zones (after a guard said it was stale). */
export function forget(db: Db, slug: string): void {
	const cache = cacheOf(db);
	cache.sources.delete(slug);
	cache.zones = null;
}
