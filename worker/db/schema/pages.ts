// Situation pages: named public (or private) views over milestone tags and zones.
import { sql } from "drizzle-orm";
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, instant, translations } from "./columns";

/** The languages a page (and what it sends) is written in. */
export const PAGE_LANGUAGES = ["en", "ar", "ckb"] as const;
/** A public page is listed on `/` and open to anyone; a private one needs the read token. */
export const PAGE_VISIBILITIES = ["public", "private"] as const;

export const pages = sqliteTable("pages", {
	id: integer("id").primaryKey({ autoIncrement: true }),
	slug: text("slug").notNull().unique(),
	title: text("title").notNull(),
	/** The title in Arabic and Sorani, where someone wrote them; `title` is the original. */
	titleI18n: translations("title_i18n"),
	description: text("description").notNull().default(""),
	language: text("language", { enum: PAGE_LANGUAGES }).notNull().default("en"),
	/** Milestone tags: a milestone belongs when it has one of them; empty means every milestone. */
	tags: text("tags", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
	/** Zone slugs whose incidents the page shows; empty means every zone. */
	zones: text("zones", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
	visibility: text("visibility", { enum: PAGE_VISIBILITIES }).notNull().default("public"),
	createdAt: createdAt(),
	updatedAt: instant("updated_at"),
});

export type PageRow = typeof pages.$inferSelect;
