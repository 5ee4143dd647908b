import { asc, desc, gt, lt } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { AppError } from "./errors";

/** A keyset position: the sort value of the last item seen and its id (ties break on id). */
export interface Cursor {
	k: number | string;
	id: number;
}

const toBase64Url = (s: string) => btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const fromBase64Url = (s: string) => atob(s.replace(/-/g, "+").replace(/_/g, "/"));

export function encodeCursor(cursor: Cursor): string {
	return toBase64Url(JSON.stringify([cursor.k, cursor.id]));
}

/** Reads a cursor from a query string; anything we did not write is a 400. */
export function decodeCursor(text: string | undefined): Cursor | null {
	if (text === undefined || text === "") return null;
	try {
		const value: unknown = JSON.parse(fromBase64Url(text));
		if (Array.isArray(value) && value.length === 2 && (typeof value[0] === "number" || typeof value[0] === "string") && Number.isSafeInteger(value[1])) {
			return { k: value[0], id: value[1] as number };
		}
	} catch {
		// fall through to the 400
	}
	throw new AppError("bad_request", "The cursor is not one this API issued.", { errors: [{ path: "/cursor", message: "invalid cursor" }] });
}

/** Splits a `limit + 1` fetch into the page and the cursor for the next one. */
export function paginate<T>(rows: T[], limit: number, position: (row: T) => Cursor): { items: T[]; next: string | null } {
	if (rows.length <= limit) return { items: rows, next: null };
	const items = rows.slice(0, limit);
	return { items, next: encodeCursor(position(items[items.length - 1] as T)) };
}

/**
 * A list ordered by id alone: the condition that continues after the request's cursor (undefined
 * on the first page) and the matching ORDER BY. "asc" is oldest first, "desc" newest first.
 */
export function byIdAfter(id: SQLiteColumn, cursorText: string | undefined, order: "asc" | "desc") {
	const cursor = decodeCursor(cursorText);
	const after = cursor ? (order === "asc" ? gt(id, cursor.id) : lt(id, cursor.id)) : undefined;
	return { after, orderBy: order === "asc" ? asc(id) : desc(id) };
}

/** The page and next cursor of a list ordered by id alone (see byIdAfter). */
export const paginateById = <T extends { id: number }>(rows: T[], limit: number) => paginate(rows, limit, (r) => ({ k: 0, id: r.id }));
