/**
 * D1 lets one Worker invocation make 1,000 queries on Workers Paid and 50 on Free
 * (https://developers.cloudflare.com/d1/platform/limits/, "Queries per Worker invocation"); past
 * that, each further query fails. A cron run is one invocation, so it counts its round trips (a
 * statement, or a batch) and leaves for the next run what would not fit, rather than failing
 * half-way through with alerts sent and not yet marked.
 */

/** The queries one invocation may make on Workers Paid. */
export const D1_QUERIES_PER_INVOCATION = 1_000;

/** A run's D1 round trips so far, against what it may make. */
export class QueryBudget {
	used = 0;
	constructor(readonly limit: number = D1_QUERIES_PER_INVOCATION) {}

	/** Whether `n` more round trips still fit. */
	allows(n: number): boolean {
		return this.used + n <= this.limit;
	}
}

const ROUND_TRIPS = new Set<PropertyKey>(["first", "all", "run", "raw"]);

/** Runs one round trip (a statement's, a batch's or an exec's) on the caller's terms. */
export type Around = <T>(call: () => Promise<T>) => Promise<T>;

/** A prepared statement whose round trips go through `around`; `originals` lets a batch hand D1 its own statements. */
function statementAround(stmt: D1PreparedStatement, around: Around, originals: WeakMap<object, D1PreparedStatement>): D1PreparedStatement {
	const wrapped = new Proxy(stmt, {
		get(target, prop) {
			const value = Reflect.get(target, prop, target);
			if (prop === "bind") return (...args: unknown[]) => statementAround(target.bind(...args), around, originals);
			if (typeof value !== "function") return value;
			if (!ROUND_TRIPS.has(prop)) return value.bind(target);
			return (...args: unknown[]) => around(async () => value.apply(target, args));
		},
	});
	originals.set(wrapped, stmt);
	return wrapped;
}

function clientAround<T extends D1Database | D1DatabaseSession>(client: T, around: Around, originals: WeakMap<object, D1PreparedStatement>): T {
	return new Proxy(client, {
		get(target, prop) {
			const value = Reflect.get(target, prop, target);
			if (prop === "prepare") return (sql: string) => statementAround(target.prepare(sql), around, originals);
			if (prop === "batch") return (stmts: D1PreparedStatement[]) => around(() => target.batch(stmts.map((s) => originals.get(s) ?? s)));
			if (prop === "exec" && "exec" in target) return (sql: string) => around(() => target.exec(sql));
			if (prop === "withSession" && "withSession" in target) return (start?: string) => clientAround(target.withSession(start), around, originals);
			return typeof value === "function" ? value.bind(target) : value;
		},
	});
}

/** The binding and the sessions it opens, each round trip they make (a statement, a batch, an exec) run through `around`. */
export function aroundRoundTrips(binding: D1Database, around: Around): D1Database {
	return clientAround(binding, around, new WeakMap());
}

/** The binding with every round trip it makes counted in `budget`; its sessions' too. */
export function counted(binding: D1Database, budget: QueryBudget): D1Database {
	return aroundRoundTrips(binding, (call) => {
		budget.used++;
		return call();
	});
}
