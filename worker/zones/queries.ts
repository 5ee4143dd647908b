import { and, asc, eq, gt, inArray, lte, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { statementOf } from "../db/compiled";
import { hourlyAround } from "../db/hourly";
import { byIdOrSlug } from "../db/lookup";
import { alerts, incidents, silences, subscribers, type ZoneRow, zones } from "../db/schema";
import { AppError } from "../http/errors";
import { byIdAfter, paginateById } from "../http/pagination";
import { type BackfillProgress, continueBackfill, REQUEST_BACKFILL_PAGES } from "./backfill";
import type { ZoneShape } from "./geo";
import type { CreateZoneInput, UpdateZoneInput } from "./schema";

/** A zone row and what the request's share of its backfill did. */
export interface WrittenZone {
	row: ZoneRow;
	backfill: BackfillProgress;
}

const slugTaken = (slug: string) =>
	new AppError("conflict", `A zone with slug "${slug}" already exists with other fields; choose another slug or PATCH it.`, {
		errors: [{ path: "/slug", message: "already taken" }],
	});

/** Whether a create asks for exactly the zone that exists (a retry), field by field as stored. */
function sameZone(row: ZoneRow, input: CreateZoneInput): boolean {
	return (
		row.name === input.name &&
		JSON.stringify(row.nameI18n) === JSON.stringify(input.name_i18n ?? null) &&
		row.country === (input.country ?? null) &&
		row.admin1 === (input.admin1 ?? null) &&
		row.description === (input.description ?? "") &&
		JSON.stringify(row.polygon) === JSON.stringify(input.polygon ?? null)
	);
}

/**
 * Creates a zone; with a polygon, its backfill is recorded in the same INSERT and this request
 * runs the first pages of it. The same create sent again (a retry after a lost answer or a
 * killed request) answers the zone as it stands and carries its backfill on; another body under a
 * taken slug is a 409.
 */
export async function createZone(db: Db, input: CreateZoneInput, now: Date): Promise<WrittenZone & { created: boolean }> {
	const [inserted] = await db
		.insert(zones)
		.values({
			slug: input.slug,
			name: input.name,
			nameI18n: input.name_i18n ?? null,
			country: input.country ?? null,
			admin1: input.admin1 ?? null,
			description: input.description ?? "",
			polygon: input.polygon ?? null,
			backfillAfter: input.polygon ? 0 : null,
			createdAt: now,
			updatedAt: now,
		})
		.onConflictDoNothing({ target: zones.slug })
		.returning();
	const row = inserted ?? (await db.query.zones.findFirst({ where: eq(zones.slug, input.slug) }));
	if (!row || (!inserted && !sameZone(row, input))) throw slugTaken(input.slug);
	const backfill = await continueBackfill(db, row, REQUEST_BACKFILL_PAGES);
	return { row: { ...row, backfillAfter: backfill.done ? null : row.backfillAfter }, backfill, created: inserted !== undefined };
}

/**
 * Applies a PATCH under compare-and-set on the revision. A new polygon restarts the backfill
 * (unzoned incidents only: those already in a zone, this one included, keep theirs) in the same
 * UPDATE; removing the polygon ends it.
 */
export async function updateZone(db: Db, idOrSlug: string, patch: UpdateZoneInput, now: Date): Promise<WrittenZone> {
	const current = await getZone(db, idOrSlug);
	const [row] = await db
		.update(zones)
		.set({
			...(patch.name !== undefined && { name: patch.name }),
			...(patch.name_i18n !== undefined && { nameI18n: patch.name_i18n }),
			...(patch.country !== undefined && { country: patch.country }),
			...(patch.admin1 !== undefined && { admin1: patch.admin1 }),
			...(patch.description !== undefined && { description: patch.description }),
			...(patch.polygon !== undefined && { polygon: patch.polygon, backfillAfter: patch.polygon ? 0 : null }),
			revision: current.revision + 1,
			updatedAt: now,
		})
		.where(and(eq(zones.id, current.id), eq(zones.revision, current.revision)))
		.returning();
	if (!row) throw new AppError("conflict", "The zone changed while this update was applied; fetch it and try again.");
	const backfill = await continueBackfill(db, row, REQUEST_BACKFILL_PAGES);
	return { row: { ...row, backfillAfter: backfill.done ? null : row.backfillAfter }, backfill };
}

/** Every zone with its polygon, for assigning incidents to zones; zones are few, so one read per message. */
export function loadZoneShapes(db: Db): Promise<ZoneShape[]> {
	return db.select({ id: zones.id, slug: zones.slug, polygon: zones.polygon }).from(zones);
}

/**
 * Names the set of zones as it stands: "count/highest id/sum of revisions". Any change between
 * two readings changes it: a zone created since has the highest id ever (ids are never reused);
 * without one, a deletion lowers the count; without either, an edit raises a revision.
 */
export const zoneSetVersion = sql<string>`(SELECT count(*) || '/' || coalesce(max(${zones.id}), 0) || '/' || coalesce(sum(${zones.revision}), 0) FROM ${zones})`;

/** Every zone's shape and the set's version as zoneSetVersion writes it, from one read. */
export async function loadZoneSet(db: Db): Promise<{ shapes: ZoneShape[]; version: string }> {
	const rows = await db.select({ id: zones.id, slug: zones.slug, polygon: zones.polygon, revision: zones.revision }).from(zones);
	const top = rows.reduce((m, z) => Math.max(m, z.id), 0);
	const revisions = rows.reduce((n, z) => n + z.revision, 0);
	return { shapes: rows.map(({ id, slug, polygon }) => ({ id, slug, polygon })), version: `${rows.length}/${top}/${revisions}` };
}

/** Incident ids per statement when a deleted zone's incidents are unzoned (one JSON parameter each). */
const UNZONE_CHUNK = 10_000;
/** Tries of a deletion while incidents keep being placed in the zone. */
const DELETE_ATTEMPTS = 3;

/**
 * Deletes a zone, refusing (409, listing them) while a subscriber's filter or an active silence
 * names it: dropping the zone from a filter would widen it (an empty filter means everything),
 * and ending a silence would unmute alerts. In one batch: its incidents lose their zone
 * (incident_hourly follows), ledger rows keep their history without it (a pending surge alert
 * for it is then not sent), its ended silences go, and the row goes.
 */
export async function deleteZone(db: Db, idOrSlug: string, now: Date): Promise<{ row: ZoneRow; unassigned: number }> {
	const zone = await getZone(db, idOrSlug);
	for (let attempt = 1; ; attempt++) {
		await refuseWhileNamed(db, zone, now);
		const ids = (await db.select({ id: incidents.id }).from(incidents).where(eq(incidents.zoneId, zone.id))).map((r) => r.id);
		const chunks = Array.from({ length: Math.ceil(ids.length / UNZONE_CHUNK) }, (_, i) => ids.slice(i * UNZONE_CHUNK, (i + 1) * UNZONE_CHUNK));
		const around = chunks.map((chunk) => hourlyAround(db, { ids: chunk }));
		const writes = [
			...chunks.map((chunk) =>
				db
					.update(incidents)
					.set({ zoneId: null })
					.where(and(inArray(incidents.id, sql`(SELECT value FROM json_each(${JSON.stringify(chunk)}))`), eq(incidents.zoneId, zone.id))),
			),
			db.update(alerts).set({ zoneId: null }).where(eq(alerts.zoneId, zone.id)),
			db.delete(silences).where(and(eq(silences.zoneId, zone.id), lte(silences.until, now))),
			// A foreign key fails the whole batch if an incident or a silence came to name the zone since the reads above.
			db.delete(zones).where(eq(zones.id, zone.id)),
		];
		try {
			await db.$client.batch([...around.map((a) => a.before), ...writes.map((w) => statementOf(db, w)), ...around.map((a) => a.after)]);
			return { row: zone, unassigned: ids.length };
		} catch (e) {
			if (!isForeignKeyFailure(e)) throw e;
			if (attempt === DELETE_ATTEMPTS) throw new AppError("conflict", "Incidents kept being placed in this zone while it was deleted; try again.");
		}
	}
}

function isForeignKeyFailure(e: unknown): boolean {
	for (let x: unknown = e; x instanceof Error; x = x.cause) if (/FOREIGN KEY constraint failed/i.test(x.message)) return true;
	return false;
}

/** 409 listing the subscribers whose filter and the active silences that name the zone, if any do. */
async function refuseWhileNamed(db: Db, zone: ZoneRow, now: Date): Promise<void> {
	const [following, muting] = await Promise.all([
		db
			.select({ id: subscribers.id })
			.from(subscribers)
			.where(sql`EXISTS (SELECT 1 FROM json_each(${subscribers.zones}) WHERE json_each.value = ${zone.slug})`)
			.orderBy(asc(subscribers.id)),
		db
			.select({ id: silences.id, until: silences.until })
			.from(silences)
			.where(and(eq(silences.zoneId, zone.id), gt(silences.until, now)))
			.orderBy(asc(silences.id)),
	]);
	if (following.length === 0 && muting.length === 0) return;
	throw new AppError(
		"conflict",
		`The zone "${zone.slug}" is named by ${following.length} subscriber filter(s) and ${muting.length} active silence(s); change or end them first.`,
		{
			errors: [
				...following.map((s) => ({ path: `/api/subscribers/${s.id}`, message: "its zone filter names this zone" })),
				...muting.map((s) => ({ path: `/api/silences/${s.id}`, message: `mutes this zone until ${s.until.toISOString()}` })),
			],
		},
	);
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
