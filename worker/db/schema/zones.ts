// Zones: named areas incidents are counted in.
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { AreaGeometry } from "../geojson";
import { createdAt } from "./columns";

export const zones = sqliteTable("zones", {
	id: integer("id").primaryKey({ autoIncrement: true }),
	slug: text("slug").notNull().unique(),
	name: text("name").notNull(),
	country: text("country"),
	admin1: text("admin1"),
	description: text("description").notNull().default(""),
	/** A GeoJSON Polygon or MultiPolygon geometry (RFC 7946), or null. */
	polygon: text("polygon", { mode: "json" }).$type<AreaGeometry>(),
	createdAt: createdAt(),
});

export type ZoneRow = typeof zones.$inferSelect;
