import { eq, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

/** `:id` in a path is a numeric id or a slug; this is the WHERE for either. */
export function byIdOrSlug(table: { id: SQLiteColumn; slug: SQLiteColumn }, key: string): SQL {
	return /^\d{1,15}$/.test(key) ? eq(table.id, Number(key)) : eq(table.slug, key);
}

/**
 * Rows whose JSON array `column` holds any of `values` (undefined, no condition, when there are
 * none: a situation page that names no tags takes every milestone). The values go as one JSON
 * parameter, however many there are.
 */
export function hasAnyOf(column: SQLiteColumn, values: readonly string[]): SQL | undefined {
	if (values.length === 0) return undefined;
	return sql`EXISTS (SELECT 1 FROM json_each(${column}) WHERE json_each.value IN (SELECT value FROM json_each(${JSON.stringify(values)})))`;
}
