/**
 * Rows that travel to D1 as one JSON parameter, read back by `json_each`, instead of as bound
 * values: D1 binds at most 100 parameters a statement, and one JSON parameter carries hundreds of
 * rows. Each row is a JSON array of its column values, in the table's column order after the id.
 */
import { getTableColumns, type SQL, sql } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";

/**
 * A JSON parameter this long at most per statement: D1 caps a value at 2 MB, and a UTF-16 code
 * unit is at most 3 bytes of UTF-8.
 */
export const MAX_JSON_CHARS = 600_000;

/** Rows, each a JSON array's text, joined into JSON arrays of at most MAX_JSON_CHARS (a row longer than that alone). */
export function jsonArrays(rows: Iterable<string>): string[] {
	const parts: string[][] = [];
	let size = 0;
	for (const json of rows) {
		const part = parts.at(-1);
		if (part && size + json.length <= MAX_JSON_CHARS) {
			part.push(json);
			size += json.length;
		} else {
			parts.push([json]);
			size = json.length;
		}
	}
	return parts.map((part) => `[${part.join(",")}]`);
}

/**
 * How a table's rows travel as JSON: each row an array of its column values after the id (converted
 * as drizzle binds them: instants to milliseconds, JSON columns to text), read back by `select`.
 */
export function jsonRowsOf(table: SQLiteTable) {
	const columns = getTableColumns(table);
	const keys = Object.keys(columns).filter((k) => k !== "id");
	// INSERT … SELECT lists every column in table order: the id (first) is left to SQLite.
	const values = sql.raw(["NULL", ...keys.map((_, i) => `j.value ->> ${i}`)].join(", "));
	return {
		/** The columns a row's array lists, in order. */
		keys,
		/** One row's JSON array. */
		encode(row: Record<string, unknown>): string {
			return JSON.stringify(keys.map((k) => (row[k] === null || row[k] === undefined ? null : columns[k]?.mapToDriverValue(row[k]))));
		},
		/** The rows of a JSON array parameter, for INSERT … SELECT (`WHERE true` tells SQLite's parser that an ON CONFLICT belongs to the INSERT, not a join). */
		select(param: unknown): SQL {
			return sql`SELECT ${values} FROM json_each(${param}) AS j WHERE true`;
		},
	};
}
