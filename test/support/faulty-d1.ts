// A D1 binding (and the sessions it opens) that fails its n-th round trip (a statement's run/all/first/raw, or a whole
// batch, which D1 applies atomically) with the error D1 gives when its connection drops.
// Everything before the n-th goes through to the real database.
import { aroundRoundTrips } from "../../worker/db/budget";

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

/** `db` and the sessions it opens, failing the plan's n-th round trip; statements stay usable in batch(). */
export function faultyD1(db: D1Database, plan: FaultPlan): D1Database {
	// The Worker runs each request in a session (http/bookmark.ts): its round trips count too.
	return aroundRoundTrips(db, (call) => step(plan, call));
}

/** `db` and the sessions it opens, whose prepare(), batch() and exec() throw `error()` while `down()` says so. */
export function brokenD1(db: D1Database, error: () => Error, down: () => boolean = () => true): D1Database {
	const broken = <T extends D1Database | D1DatabaseSession>(client: T): T =>
		new Proxy(client, {
			get(target, prop) {
				if (down() && (prop === "prepare" || prop === "batch" || prop === "exec")) {
					return () => {
						throw error();
					};
				}
				if (prop === "withSession" && "withSession" in target) return (start?: string) => broken(target.withSession(start));
				const value = Reflect.get(target, prop, target);
				return typeof value === "function" ? value.bind(target) : value;
			},
		});
	return broken(db);
}
