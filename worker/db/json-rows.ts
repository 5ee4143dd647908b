/**
 * Rows that travel to D1 as one JSON parameter, read back by `json_each`, instead of as bound
 * values: D1 binds at most 100 parameters a statement, and one JSON parameter carries hundreds of
 * rows. Each row is a JSON array of its column values, in the table's column order after the id.
 */
import { type SQL, sql } from "drizzle-orm";

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

/** INSERT … SELECT lists every column in table order: the id (first) is left to SQLite, then the row's `n` values. */
export function fromJsonRow(n: number): SQL {
	return sql.raw(["NULL", ...Array.from({ length: n }, (_, i) => `j.value ->> ${i}`)].join(", "));
}
