import { and, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/client";
import { incidents, zones } from "../db/schema";
import { AppError } from "../http/errors";
import { inZones, SHOWN_COLUMNS, type ShownRow } from "../incidents";

/** Entries in the Atom feed: the newest verified incidents a reader catches up on. */
export const ATOM_ENTRIES = 50;

/** A verified incident as the feed shows it, with its zone's slug and name. */
export interface FeedIncident {
	incident: ShownRow;
	zone: { slug: string; name: string } | null;
}

/**
 * The newest verified, unretracted incidents (by occurred_at, then id), optionally in one zone
 * given by slug; an unknown zone is a 404, not an empty feed, so a typo is noticed. A situation
 * page's `zones` narrow it to those (none named: every zone); it checked them when it was saved.
 */
export async function listFeedIncidents(
	db: Db,
	filter: { zone?: string | undefined; zones?: readonly string[] },
	limit = ATOM_ENTRIES,
): Promise<{ zone: { slug: string; name: string } | undefined; items: FeedIncident[] }> {
	let zone: { id: number; slug: string; name: string } | undefined;
	if (filter.zone !== undefined) {
		zone = await db.query.zones.findFirst({ columns: { id: true, slug: true, name: true }, where: eq(zones.slug, filter.zone) });
		if (!zone) throw new AppError("not_found", `No zone "${filter.zone}".`);
	}
	const zoneId = zone?.id;
	const rows = await db
		.select({ incident: SHOWN_COLUMNS, slug: zones.slug, name: zones.name })
		.from(incidents)
		.leftJoin(zones, eq(zones.id, incidents.zoneId))
		.where(
			and(
				eq(incidents.verification, "verified"),
				isNull(incidents.retractedAt),
				zoneId === undefined ? undefined : eq(incidents.zoneId, zoneId),
				inZones(incidents.zoneId, filter.zones ?? []),
			),
		)
		.orderBy(desc(incidents.occurredAt), desc(incidents.id))
		.limit(limit);
	const items = rows.map((r) => ({ incident: r.incident, zone: r.slug !== null && r.name !== null ? { slug: r.slug, name: r.name } : null }));
	return { zone: zone && { slug: zone.slug, name: zone.name }, items };
}
