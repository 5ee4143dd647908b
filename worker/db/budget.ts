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

/** A prepared statement whose round trips count; `originals` lets a batch hand D1 its own statements. */
function countedStatement(stmt: D1PreparedStatement, budget: QueryBudget, originals: WeakMap<object, D1PreparedStatement>): D1PreparedStatement {
	const counted = new Proxy(stmt, {
		get(target, prop) {
			const value = Reflect.get(target, prop, target);
			if (prop === "bind") return (...args: unknown[]) => countedStatement(target.bind(...args), budget, originals);
			if (typeof value !== "function") return value;
			if (!ROUND_TRIPS.has(prop)) return value.bind(target);
			return (...args: unknown[]) => {
				budget.used++;
				return value.apply(target, args);
			};
		},
	});
	originals.set(counted, stmt);
	return counted;
}

/** The binding with every round trip it makes (a statement, a batch, an exec) counted in `budget`; its sessions' too. */
export function counted(binding: D1Database, budget: QueryBudget): D1Database {
	return countedClient(binding, budget, new WeakMap());
}

function countedClient<T extends D1Database | D1DatabaseSession>(binding: T, budget: QueryBudget, originals: WeakMap<object, D1PreparedStatement>): T {
	return new Proxy(binding, {
		get(target, prop) {
			const value = Reflect.get(target, prop, target);
			if (prop === "prepare") return (sql: string) => countedStatement(target.prepare(sql), budget, originals);
			if (prop === "batch") {
				return (stmts: D1PreparedStatement[]) => {
					budget.used++;
					return target.batch(stmts.map((s) => originals.get(s) ?? s));
				};
			}
			if (prop === "exec" && "exec" in target) {
				return (sql: string) => {
					budget.used++;
					return target.exec(sql);
				};
			}
			if (prop === "withSession" && "withSession" in target) {
				return (start?: string) => countedClient(target.withSession(start), budget, originals);
			}
			return typeof value === "function" ? value.bind(target) : value;
		},
	});
}
