import { createTableRelationsHelpers, type ExtractTablesWithRelations, extractTablesRelationalConfig } from "drizzle-orm";
import { DrizzleD1Database, SQLiteD1Session } from "drizzle-orm/d1";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import * as schema from "./schema";

/** What drizzle's D1 driver calls on its client, and all a D1 session has: a binding or one of its sessions. */
export type D1Client = Pick<D1Database, "prepare" | "batch">;

/**
 * A drizzle handle with the schema for typed and relational queries. `$client` is what it runs
 * on, the binding or one of its sessions; `$binding` is the binding, for what is kept per
 * database rather than per session.
 */
export type Db = DrizzleD1Database<typeof schema> & { $client: D1Client; $binding: D1Database };

/**
 * drizzle() extracts the relational config from the schema on every call (~25 µs), and a D1
 * session lives for one request; so the config and the dialect are built once per isolate and
 * each handle is put together from drizzle's own parts, as drizzle() does.
 */
const dialect = new SQLiteAsyncDialect();
const { tables, tableNamesMap } = extractTablesRelationalConfig<ExtractTablesWithRelations<typeof schema>>(schema, createTableRelationsHelpers);
const relations = { fullSchema: schema, schema: tables, tableNamesMap };

/**
 * A drizzle handle over `d1`, or over one of its sessions (`d1.withSession(...)`). Without a
 * session every query goes to the primary: the crons and the tests' direct reads use that.
 */
export function createDb(d1: D1Database, session: D1Client = d1): Db {
	// drizzle-orm 0.45's D1 driver types its client as a D1Database but calls only prepare() and
	// batch(), which a D1DatabaseSession has too (sessions are not in drizzle yet: drizzle-orm#2226).
	const client = session as D1Database;
	const db = new DrizzleD1Database<typeof schema>("async", dialect, new SQLiteD1Session(client, dialect, relations), relations);
	return Object.assign(db, { $client: session, $binding: d1 });
}
