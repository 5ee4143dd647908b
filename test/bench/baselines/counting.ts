// Bench-only entry: the real Worker, with its D1 binding wrapped to count every statement.
// POST /__bench/scheduled?cron=<expr> runs the Worker's scheduled() handler once and answers
// how many D1 round trips and statements it made and how long it took.
import worker from "@vigil/worker";
import type { Env } from "../../../worker/env";

interface Counter {
	roundTrips: number;
	statements: number;
}

function countingStatement(stmt: D1PreparedStatement, counter: Counter): D1PreparedStatement {
	return new Proxy(stmt, {
		get(target, prop, receiver) {
			const value = Reflect.get(target, prop, receiver);
			if (typeof value !== "function") return value;
			if (prop === "bind") return (...args: unknown[]) => countingStatement(target.bind(...args), counter);
			if (prop === "run" || prop === "all" || prop === "first" || prop === "raw") {
				return (...args: unknown[]) => {
					counter.roundTrips++;
					counter.statements++;
					return (value as (...a: unknown[]) => unknown).apply(target, args);
				};
			}
			return value.bind(target);
		},
	});
}

/** A D1Database that counts what goes through it; statements keep their identity for batch(). */
function countingDb(db: D1Database, counter: Counter): D1Database {
	const originals = new WeakMap<object, D1PreparedStatement>();
	const wrap = (stmt: D1PreparedStatement): D1PreparedStatement => {
		const proxied = countingStatement(stmt, counter);
		originals.set(proxied, stmt);
		return proxied;
	};
	return new Proxy(db, {
		get(target, prop, receiver) {
			const value = Reflect.get(target, prop, receiver);
			if (prop === "prepare") return (sql: string) => wrap(target.prepare(sql));
			if (prop === "batch") {
				return (stmts: D1PreparedStatement[]) => {
					counter.roundTrips++;
					counter.statements += stmts.length;
					return target.batch(stmts.map((s) => originals.get(s) ?? s));
				};
			}
			if (prop === "exec") {
				return (sql: string) => {
					counter.roundTrips++;
					counter.statements += sql.split("\n").filter((l) => l.trim()).length;
					return target.exec(sql);
				};
			}
			return typeof value === "function" ? value.bind(target) : value;
		},
	});
}

export default {
	async fetch(request, env, ctx) {
		const url = new URL(request.url);
		if (request.method === "POST" && url.pathname === "/__bench/scheduled") {
			const counter: Counter = { roundTrips: 0, statements: 0 };
			const cron = url.searchParams.get("cron") ?? "* * * * *";
			const controller = { cron, scheduledTime: Date.now(), noRetry() {} } as ScheduledController;
			const started = performance.now();
			await worker.scheduled(controller, { ...env, DB: countingDb(env.DB, counter) }, ctx);
			return Response.json({ ...counter, ms: performance.now() - started });
		}
		return worker.fetch(request, env, ctx);
	},
} satisfies ExportedHandler<Env>;
