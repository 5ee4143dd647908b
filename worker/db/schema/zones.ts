// Zones: named areas incidents are counted in.
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { AreaGeometry } from "../geojson";
import { createdAt, instant, translations } from "./columns";

export const zones = sqliteTable("zones", {
	id: integer("id").primaryKey({ autoIncrement: true }),
	slug: text("slug").notNull().unique(),
	name: text("name").notNull(),
	/** The name in Arabic and Sorani, where someone wrote them; `name` is the original. */
	nameI18n: translations("name_i18n"),
	country: text("country"),
	admin1: text("admin1"),
	description: text("description").notNull().default(""),
	/** A GeoJSON Polygon or MultiPolygon geometry (RFC 7946), or null. */
	polygon: text("polygon", { mode: "json" }).$type<AreaGeometry>(),
	/**
	 * While incidents drawn before the polygon are still being placed in it: the last incident id
	 * examined (0: none yet). NULL once every unzoned incident has been looked at.
	 */
	backfillAfter: integer("backfill_after"),
	/** Goes up with every change: edits compare-and-set on it, and intake's cached zones are checked by it. */
	revision: integer("revision").notNull().default(0),
	createdAt: createdAt(),
	updatedAt: instant("updated_at"),
});

export type ZoneRow = typeof zones.$inferSelect;
