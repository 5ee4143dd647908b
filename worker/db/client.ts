import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

const open = (d1: D1Database) => drizzle(d1, { schema });
export type Db = ReturnType<typeof open>;

/** One handle per binding and isolate: drizzle builds its relational config per handle, and every request would pay for it. */
const handles = new WeakMap<D1Database, Db>();

/** A drizzle handle over the D1 binding, with the schema for typed queries. */
export function createDb(d1: D1Database): Db {
	let db = handles.get(d1);
	if (!db) {
		db = open(d1);
		handles.set(d1, db);
	}
	return db;
}
