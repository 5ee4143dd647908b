// A D1 binding that fails its n-th round trip (a statement's run/all/first/raw, or a whole
// batch, which D1 applies atomically) with the error D1 gives when its connection drops.
// Everything before the n-th goes through to the real database.

/**
 * Counts round trips; `failAt` (1-based) is the one that throws. With `afterCommit`, that round
 * trip reaches D1 and commits first: the connection drops on the way back.
 */
export interface FaultPlan {
	failAt: number;
	calls: number;
	afterCommit?: boolean;
}

const lost = () => new Error("D1_ERROR: Network connection lost.");

/** Runs one round trip under the plan. */
async function step<T>(plan: FaultPlan, call: () => Promise<T>): Promise<T> {
	plan.calls++;
	if (plan.calls !== plan.failAt) return call();
	if (plan.afterCommit) await call();
	throw lost();
}

function faultyStatement(stmt: D1PreparedStatement, plan: FaultPlan, originals: WeakMap<object, D1PreparedStatement>): D1PreparedStatement {
	const proxied = new Proxy(stmt, {
		get(target, prop, receiver) {
			const value = Reflect.get(target, prop, receiver);
			if (prop === "bind") return (...args: unknown[]) => faultyStatement(target.bind(...args), plan, originals);
			if (prop === "run" || prop === "all" || prop === "first" || prop === "raw") {
				return (...args: unknown[]) => step(plan, async () => (value as (...a: unknown[]) => unknown).apply(target, args));
			}
			return typeof value === "function" ? value.bind(target) : value;
		},
	});
	originals.set(proxied, stmt);
	return proxied;
}

/** `db`, failing the plan's n-th round trip; statements stay usable in batch(). */
export function faultyD1(db: D1Database, plan: FaultPlan): D1Database {
	const originals = new WeakMap<object, D1PreparedStatement>();
	return new Proxy(db, {
		get(target, prop, receiver) {
			const value = Reflect.get(target, prop, receiver);
			if (prop === "prepare") return (sql: string) => faultyStatement(target.prepare(sql), plan, originals);
			if (prop === "batch") {
				return (stmts: D1PreparedStatement[]) => step(plan, () => target.batch(stmts.map((s) => originals.get(s) ?? s)));
			}
			if (prop === "exec") {
				return (sql: string) => step(plan, () => target.exec(sql));
			}
			return typeof value === "function" ? value.bind(target) : value;
		},
	});
}
