import { and, asc, eq, gt, gte, inArray, isNotNull, isNull, lte, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { statementOf } from "../db/compiled";
import { keepingHourly } from "../db/hourly";
import { incidents, type ZoneRow, zones } from "../db/schema";
import { preparedArea } from "./area-index";
import { geometryBBox } from "./geo";

/**
 * Placing earlier incidents in a zone just drawn (or redrawn): a backfill. The zone row carries
 * it as a cursor, `backfill_after`, set in the statement that creates the zone or changes its
 * polygon, so nothing is lost if the work stops half-way. Each page reads the next unzoned
 * incidents in the polygon's bounding box by id, keeps those inside, and in one batch assigns
 * them and moves the cursor past the page, both on condition that the zone is as read (same
 * revision, same cursor): a page runs at most once, and work for an old polygon or a deleted
 * zone writes nothing. Incidents already in a zone keep it.
 */

/** Candidate incidents read per page (three numbers each). */
export const BACKFILL_PAGE = 1_000;
/** Pages a request that draws a zone may run before it answers; the sweep finishes the rest. */
export const REQUEST_BACKFILL_PAGES = 4;
/** Pages one sweep may run, across every zone with a backfill pending. */
export const SWEEP_BACKFILL_PAGES = 200;

/** The zone as a backfill reads it. */
export type BackfillState = Pick<ZoneRow, "id" | "polygon" | "backfillAfter" | "revision">;

export interface BackfillProgress {
	/** True once every unzoned incident has been looked at (or there is no polygon). */
	done: boolean;
	/** Incidents placed in the zone by this call. */
	assigned: number;
	pages: number;
}

interface PageResult {
	assigned: number;
	/** The cursor after the page, or "lost" when the zone changed under it (nothing was written). */
	next: number | null | "lost";
}

async function runPage(db: Db, zone: BackfillState & { backfillAfter: number }): Promise<PageResult> {
	const polygon = zone.polygon;
	if (!polygon) return { assigned: 0, next: "lost" };
	const [w, s, e, n] = geometryBBox(polygon);
	const after = zone.backfillAfter;
	const rows = await db
		.select({ id: incidents.id, latitude: incidents.latitude, longitude: incidents.longitude })
		.from(incidents)
		.where(
			and(
				isNull(incidents.zoneId),
				gt(incidents.id, after),
				gte(incidents.latitude, s),
				lte(incidents.latitude, n),
				gte(incidents.longitude, w),
				lte(incidents.longitude, e),
			),
		)
		.orderBy(asc(incidents.id))
		.limit(BACKFILL_PAGE);
	const area = preparedArea(polygon);
	const inside = rows.filter((r) => r.latitude !== null && r.longitude !== null && area.contains(r.longitude, r.latitude)).map((r) => r.id);
	const next = rows.length < BACKFILL_PAGE ? null : (rows.at(-1)?.id ?? null);
	const asRead = and(eq(zones.id, zone.id), eq(zones.revision, zone.revision), eq(zones.backfillAfter, after));
	const advance = statementOf(db, db.update(zones).set({ backfillAfter: next }).where(asRead));
	if (inside.length === 0) {
		const [moved] = await db.$client.batch([advance]);
		return { assigned: 0, next: moved?.meta.changes === 1 ? next : "lost" };
	}
	// The page's ids as one JSON parameter; the zone's row must still be as read for anything to change.
	const assign = db
		.update(incidents)
		.set({ zoneId: zone.id })
		.where(
			and(
				inArray(incidents.id, sql`(SELECT value FROM json_each(${JSON.stringify(inside)}))`),
				isNull(incidents.zoneId),
				sql`EXISTS (SELECT 1 FROM ${zones} WHERE ${asRead})`,
			),
		);
	const results = await db.$client.batch([...keepingHourly(db, { ids: inside }, [assign]), advance]);
	// keepingHourly puts the write second; the cursor's move is last.
	if (results.at(-1)?.meta.changes !== 1) return { assigned: 0, next: "lost" };
	return { assigned: results[1]?.meta.changes ?? 0, next };
}

/**
 * Runs up to `pages` pages of the zone's backfill. When the zone changed meanwhile (another
 * runner moved the cursor, the polygon was redrawn, the zone deleted), it reads the zone again
 * and stops: whoever changed it carries on from there.
 */
export async function continueBackfill(db: Db, zone: BackfillState, pages: number): Promise<BackfillProgress> {
	let state = zone;
	let assigned = 0;
	let ran = 0;
	while (state.backfillAfter !== null && ran < pages) {
		const page = await runPage(db, { ...state, backfillAfter: state.backfillAfter });
		ran++;
		assigned += page.assigned;
		if (page.next === "lost") {
			const now = await db.query.zones.findFirst({ where: eq(zones.id, zone.id), columns: { backfillAfter: true } });
			return { done: (now?.backfillAfter ?? null) === null, assigned, pages: ran };
		}
		state = { ...state, backfillAfter: page.next };
	}
	return { done: state.backfillAfter === null, assigned, pages: ran };
}

/** The sweep's share: pending backfills, oldest zone first, within `pages` pages in all. */
export async function finishBackfills(db: Db, pages: number): Promise<{ assigned: number; pending: number }> {
	const pending = await db
		.select({ id: zones.id, polygon: zones.polygon, backfillAfter: zones.backfillAfter, revision: zones.revision })
		.from(zones)
		.where(isNotNull(zones.backfillAfter))
		.orderBy(asc(zones.id));
	let left = pages;
	let assigned = 0;
	let unfinished = 0;
	for (const zone of pending) {
		const progress = left > 0 ? await continueBackfill(db, zone, left) : { done: false, assigned: 0, pages: 0 };
		left -= progress.pages;
		assigned += progress.assigned;
		if (!progress.done) unfinished++;
	}
	return { assigned, pending: unfinished };
}
