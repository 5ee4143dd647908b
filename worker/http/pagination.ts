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
