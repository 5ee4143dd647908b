import { eq, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

/** `:id` in a path is a numeric id or a slug; this is the WHERE for either. */
export function byIdOrSlug(table: { id: SQLiteColumn; slug: SQLiteColumn }, key: string): SQL {
	return /^\d{1,15}$/.test(key) ? eq(table.id, Number(key)) : eq(table.slug, key);
}
