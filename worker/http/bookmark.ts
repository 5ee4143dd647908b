import type { OpenAPIHono } from "@hono/zod-openapi";
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

type Document = ReturnType<OpenAPIHono["getOpenAPI31Document"]>;
type Operation = NonNullable<NonNullable<Document["paths"]>[string]["get"]>;

const OPERATIONS = ["get", "put", "post", "delete", "patch"] as const;

/**
 * The API document with the bookmark declared once, as components, and referenced from every
 * operation: a header parameter of each read, a header of every response.
 */
export function withBookmark(doc: Document): Document {
	const declared = (op: Operation, read: boolean): Operation => ({
		...op,
		parameters: read ? [...(op.parameters ?? []), { $ref: "#/components/parameters/D1Bookmark" }] : op.parameters,
		responses: Object.fromEntries(
			Object.entries(op.responses ?? {}).map(([status, response]) => [
				status,
				"$ref" in response ? response : { ...response, headers: { ...response.headers, [BOOKMARK_HEADER]: { $ref: "#/components/headers/D1Bookmark" } } },
			]),
		),
	});
	const paths = Object.fromEntries(
		Object.entries(doc.paths ?? {}).map(([path, item]) => {
			const ops = OPERATIONS.flatMap((method) => {
				const op = item[method];
				return op ? [[method, declared(op, method === "get")] as const] : [];
			});
			return [path, { ...item, ...Object.fromEntries(ops) }];
		}),
	);
	const description = "A D1 bookmark: the database state this answer read. Send it back on a read to see at least that state (your own writes included).";
	return {
		...doc,
		paths,
		components: {
			...doc.components,
			parameters: {
				...doc.components?.parameters,
				D1Bookmark: { name: BOOKMARK_HEADER, in: "header", required: false, description, schema: { type: "string" } },
			},
			headers: { ...doc.components?.headers, D1Bookmark: { description, schema: { type: "string" } } },
		},
	};
}
