import { and, asc, gt, gte, inArray, isNull, lte, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { keepingHourly } from "../db/hourly";
import { byIdOrSlug } from "../db/lookup";
import { incidents, type ZoneRow, zones } from "../db/schema";
import { AppError } from "../http/errors";
import { byIdAfter, paginateById } from "../http/pagination";
import { geometryBBox, type ZoneShape, zoneForPoint } from "./geo";
import type { CreateZoneInput } from "./schema";

export async function createZone(db: Db, input: CreateZoneInput, now: Date): Promise<ZoneRow> {
	const [row] = await db
		.insert(zones)
		.values({
			slug: input.slug,
			name: input.name,
			country: input.country ?? null,
			admin1: input.admin1 ?? null,
			description: input.description ?? "",
			polygon: input.polygon ?? null,
			createdAt: now,
		})
		.onConflictDoNothing({ target: zones.slug })
		.returning();
	if (!row) throw new AppError("conflict", `A zone with slug "${input.slug}" already exists.`, { errors: [{ path: "/slug", message: "already taken" }] });
	if (row.polygon) await assignUnzonedIncidents(db, row);
	return row;
}

const ASSIGN_PAGE = 500;

/**
 * Places incidents that have coordinates but no zone into a zone just drawn: only those in its
 * bounding box are read (by id, a page at a time), and turf decides which are inside. Incidents
 * already in a zone keep it: an assignment is never silently moved.
 */
export async function assignUnzonedIncidents(db: Db, zone: ZoneRow): Promise<number> {
	if (!zone.polygon) return 0;
	const [w, s, e, n] = geometryBBox(zone.polygon);
	const shape = [{ id: zone.id, slug: zone.slug, polygon: zone.polygon }];
	let after = 0;
	let assigned = 0;
	for (;;) {
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
			.limit(ASSIGN_PAGE);
		const inside = rows.filter((r) => r.latitude !== null && r.longitude !== null && zoneForPoint(shape, r.longitude, r.latitude)).map((r) => r.id);
		if (inside.length > 0) {
			// The page's ids as one JSON parameter, in one batch that keeps incident_hourly exact.
			const assign = db
				.update(incidents)
				.set({ zoneId: zone.id })
				.where(and(inArray(incidents.id, sql`(SELECT value FROM json_each(${JSON.stringify(inside)}))`), isNull(incidents.zoneId)));
			await db.$client.batch(keepingHourly(db, { ids: inside }, [assign]));
		}
		assigned += inside.length;
		const last = rows.at(-1);
		if (!last || rows.length < ASSIGN_PAGE) return assigned;
		after = last.id;
	}
}

/** Every zone with its polygon, for assigning incidents to zones; zones are few, so one read per message. */
export function loadZoneShapes(db: Db): Promise<ZoneShape[]> {
	return db.select({ id: zones.id, slug: zones.slug, polygon: zones.polygon }).from(zones);
}

export async function getZone(db: Db, idOrSlug: string): Promise<ZoneRow> {
	const row = await db.query.zones.findFirst({ where: byIdOrSlug(zones, idOrSlug) });
	if (!row) throw new AppError("not_found", `No zone "${idOrSlug}".`);
	return row;
}

export async function listZones(db: Db, limit: number, cursorText: string | undefined) {
	const { after, orderBy } = byIdAfter(zones.id, cursorText, "asc");
	const rows = await db
		.select()
		.from(zones)
		.where(after)
		.orderBy(orderBy)
		.limit(limit + 1);
	return paginateById(rows, limit);
}
