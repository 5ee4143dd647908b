import { z } from "@hono/zod-openapi";
import type { ZoneRow } from "../db/schema";
import { Label, LongText, listOf, Page, Slug, Timestamp, Translated } from "../http/schemas";
import { areaFaults } from "./validity";

const Longitude = z.number().min(-180).max(180);
const Latitude = z.number().min(-90).max(90);
const Position = z.tuple([Longitude, Latitude]).rest(z.number()).openapi({ description: "[longitude, latitude] (RFC 7946)" });
const Ring = z
	.array(Position)
	.min(4, "a linear ring needs at least four positions")
	.max(10_000)
	.refine((r) => r[0]?.[0] === r[r.length - 1]?.[0] && r[0]?.[1] === r[r.length - 1]?.[1], "a linear ring must end where it starts");

export const PolygonGeometry = z.object({ type: z.literal("Polygon"), coordinates: z.array(Ring).min(1).max(100) }).strict();
export const MultiPolygonGeometry = z.object({ type: z.literal("MultiPolygon"), coordinates: z.array(z.array(Ring).min(1).max(100)).min(1).max(100) }).strict();
export const AreaGeometry = z
	.discriminatedUnion("type", [PolygonGeometry, MultiPolygonGeometry])
	.superRefine((geometry, ctx) => {
		for (const fault of areaFaults(geometry)) ctx.addIssue({ code: "custom", path: fault.path, message: fault.message });
	})
	.openapi("AreaGeometry", {
		description:
			"A GeoJSON Polygon or MultiPolygon geometry, longitude first. Each ring is simple (it neither crosses nor touches itself), has an area and does not jump across the antimeridian (split such an area at ±180 into a MultiPolygon); each hole lies inside its shell without touching it.",
	});
// zones/queries.ts writes it to the polygon column, whose type (db/geojson.ts) it must fit.
export type AreaGeometryValue = z.infer<typeof AreaGeometry>;

export const CreateZone = z
	.object({
		slug: Slug,
		name: Label(120),
		name_i18n: Translated(120).optional(),
		country: Label(80).optional(),
		admin1: Label(120).optional(),
		description: LongText(2000).optional(),
		polygon: AreaGeometry.optional(),
	})
	.strict()
	.openapi("CreateZone", { example: { slug: "wadi-hauran", name: "Wadi Hauran", country: "Iraq", admin1: "Al Anbar" } });

export const UpdateZone = z
	.object({
		name: Label(120),
		name_i18n: Translated(120),
		country: Label(80).nullable(),
		admin1: Label(120).nullable(),
		description: LongText(2000),
		polygon: AreaGeometry.nullable().openapi({ description: "A new area (its backfill starts over), or null to remove it" }),
	})
	.partial()
	.strict()
	.refine((v) => Object.keys(v).length > 0, "give at least one field to change")
	.openapi("UpdateZone", { example: { name: "Wadi Hauran (upper valley)", description: "Redrawn after the 2025 survey" } });

const Backfill = z
	.object({ done: z.boolean().openapi({ description: "false while earlier incidents are still being placed in the polygon (the sweep finishes it)" }) })
	.openapi("ZoneBackfill");

export const Zone = z
	.object({
		id: z.number().int(),
		slug: z.string(),
		name: z.string(),
		name_i18n: Translated(120),
		country: z.string().nullable(),
		admin1: z.string().nullable(),
		description: z.string(),
		polygon: AreaGeometry.nullable(),
		backfill: Backfill,
		created_at: Timestamp,
		updated_at: Timestamp.nullable(),
	})
	.openapi("Zone");

/** The answer to a create or an edit: the zone, and how many incidents this request placed in it. */
export const WrittenZone = Zone.extend({
	backfill: Backfill.extend({ assigned: z.number().int().openapi({ description: "incidents this request placed in the zone" }) }),
}).openapi("WrittenZone");

export const DeletedZone = Zone.extend({
	incidents_unassigned: z.number().int().openapi({ description: "incidents that were in the zone and now have none" }),
}).openapi("DeletedZone");

export const ZoneQuery = Page.strict();
export const ZoneList = listOf(Zone, "ZoneList");
export type CreateZoneInput = z.infer<typeof CreateZone>;
export type UpdateZoneInput = z.infer<typeof UpdateZone>;

/** The public JSON for a zone row. */
export function zoneJson(row: ZoneRow) {
	return {
		id: row.id,
		slug: row.slug,
		name: row.name,
		name_i18n: row.nameI18n,
		country: row.country,
		admin1: row.admin1,
		description: row.description,
		polygon: row.polygon,
		backfill: { done: row.backfillAfter === null },
		created_at: row.createdAt.toISOString(),
		updated_at: row.updatedAt?.toISOString() ?? null,
	};
}
