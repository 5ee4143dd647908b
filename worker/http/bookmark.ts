import type { D1Client } from "../db/client";

/**
 * D1 read replication: each request runs in one D1 session. A read starts from the bookmark the
 * client sent back (so it sees at least what that client saw or wrote) or from the nearest
 * replica; anything else starts at the primary. The answer carries the session's bookmark.
 */

/** Request and response header; Cloudflare's own D1 examples use this name. */
export const BOOKMARK_HEADER = "x-d1-bookmark";

/**
 * The shape of a bookmark D1 issues (remote and local alike): three 8-digit and one 32-digit hex
 * fields, sorting oldest to newest. Anything else is never passed on: D1 would keep a foreign
 * string as the session's bookmark, send it to the database and hand it back.
 */
const BOOKMARK = /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/;

const READS = new Set(["GET", "HEAD"]);

/** Where the session of a request with this method, and this bookmark sent back, starts. */
export function sessionStart(method: string, sent: string | undefined): D1SessionConstraint | D1SessionBookmark {
	if (!READS.has(method)) return "first-primary";
	return sent !== undefined && BOOKMARK.test(sent) ? sent : "first-unconstrained";
}

/** A request's D1 client and the bookmark its answer carries. */
export interface RequestSession extends D1Client {
	/** The session's latest bookmark: the one it started from until a query returns a newer one; null if neither. */
	bookmark(): string | null;
}

/**
 * The request's session of `d1`, opened at its first statement: a request that reads nothing
 * (the API document, a refused token) opens none. Until then its bookmark is the one it starts
 * from, as D1's own getBookmark() says; a streamed export's headers leave before its first read.
 */
export function requestSession(d1: D1Database, start: D1SessionConstraint | D1SessionBookmark): RequestSession {
	let session: D1DatabaseSession | undefined;
	const open = () => {
		session ??= d1.withSession(start);
		return session;
	};
	const startBookmark = BOOKMARK.test(start) ? start : null;
	return {
		prepare: (sql) => open().prepare(sql),
		batch: (statements) => open().batch(statements),
		bookmark: () => (session ? session.getBookmark() : startBookmark),
	};
}
