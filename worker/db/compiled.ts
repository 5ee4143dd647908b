import { fillPlaceholders } from "drizzle-orm";
import type { Db } from "./client";

export interface Buildable {
	toSQL(): { sql: string; params: unknown[] };
}

/**
 * A statement drizzle builds once per isolate; each use binds new values to its named
 * placeholders (`sql.placeholder(name)`). For the webhook's hot path: drizzle spends CPU building
 * the incidents upsert (an entry per column) and the receipt on every call, binding values to
 * built SQL almost none. Values are bound as D1 stores them (instants in milliseconds, JSON as text).
 */
export class Compiled<Names extends string> {
	private built: { sql: string; params: unknown[] } | null = null;

	constructor(private readonly build: (db: Db) => Buildable) {}

	/** The SQL and its parameters with these values in place (a test reads the plan from them). */
	toSQL(db: Db, values: Record<Names, string | number | null>): { sql: string; params: unknown[] } {
		this.built ??= this.build(db).toSQL();
		return { sql: this.built.sql, params: fillPlaceholders(this.built.params, values) };
	}

	/** The D1 statement with these values bound. */
	bind(db: Db, values: Record<Names, string | number | null>): D1PreparedStatement {
		const { sql, params } = this.toSQL(db, values);
		return db.$client.prepare(sql).bind(...params);
	}
}

/** A drizzle query as a plain D1 statement, to run in one `D1Database.batch` with compiled ones. */
export function statementOf(db: Db, query: Buildable): D1PreparedStatement {
	const { sql, params } = query.toSQL();
	return db.$client.prepare(sql).bind(...params);
}
