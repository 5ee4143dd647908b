import { asc, eq, gt } from "drizzle-orm";
import type { Db } from "../db/client";
import { type ZoneRow, zones } from "../db/schema";
import { AppError } from "../errors";
import type { CreateZoneInput } from "../schemas/zones";
import { byIdOrSlug } from "./lookup";
import { decodeCursor, paginate } from "./pagination";

export function zoneJson(row: ZoneRow) {
	return {
		id: row.id,
		slug: row.slug,
		name: row.name,
		country: row.country,
		admin1: row.admin1,
		description: row.description,
		polygon: row.polygon,
		created_at: row.createdAt.toISOString(),
	};
}

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
	return row;
}

export async function getZone(db: Db, idOrSlug: string): Promise<ZoneRow> {
	const row = await db.query.zones.findFirst({ where: byIdOrSlug(zones, idOrSlug) });
	if (!row) throw new AppError("not_found", `No zone "${idOrSlug}".`);
	return row;
}

export async function listZones(db: Db, limit: number, cursorText: string | undefined) {
	const cursor = decodeCursor(cursorText);
	const rows = await db
		.select()
		.from(zones)
		.where(cursor ? gt(zones.id, cursor.id) : undefined)
		.orderBy(asc(zones.id))
		.limit(limit + 1);
	return paginate(rows, limit, (r) => ({ k: 0, id: r.id }));
}
