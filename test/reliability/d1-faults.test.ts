// Every write route, with D1 failing at its 1st, 2nd, ... round trip: the answer is 503 with
// Retry-After and nothing is half-written; once D1 is back, the same request succeeds.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../worker/index";
import { type FaultPlan, faultyD1 } from "../support/faulty-d1";
import { problem } from "../support/http";
import { ROUTES, type RouteRequest } from "./routes";

const MAX_ROUND_TRIPS = 20;

async function send(method: string, { path, json, raw }: RouteRequest, db: D1Database): Promise<Response> {
	const headers = new Headers({ authorization: `Bearer ${env.ADMIN_TOKEN}` });
	if (raw) headers.set("content-type", raw.contentType);
	else if (json !== undefined) headers.set("content-type", "application/json");
	const body = raw ? raw.body : json === undefined ? undefined : JSON.stringify(json);
	const request = new Request(`https://vigil.test${path}`, { method, headers, body });
	const ctx = createExecutionContext();
	const res = await worker.fetch(request, { ...env, DB: db }, ctx);
	await waitOnExecutionContext(ctx);
	return res;
}

const writes = ROUTES.filter((r) => r.fingerprint && r.access === "admin");

describe("D1 failing in the middle of a write", () => {
	it.each(writes.map((row) => ({ row, label: `${row.method} ${row.path}` })))("$label answers 503 and writes nothing, at every round trip", async ({ row }) => {
		const fingerprint = row.fingerprint as () => Promise<unknown>;
		let failAt = 1;
		for (; failAt <= MAX_ROUND_TRIPS; failAt++) {
			const request = await row.prepare();
			const before = await fingerprint();
			const plan: FaultPlan = { failAt, calls: 0 };
			const res = await send(row.method, request, faultyD1(env.DB, plan));
			if (plan.calls < failAt) {
				// The request finished before reaching the n-th round trip: every fault point is covered.
				expect(res.status, await res.clone().text()).toBe(row.ok);
				break;
			}
			await problem(res, 503);
			expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
			expect(await fingerprint(), `failing round trip ${failAt} left a partial write`).toEqual(before);
			// The client's retry, with D1 back, succeeds.
			const retry = await send(row.method, request, env.DB);
			expect(retry.status, await retry.clone().text()).toBe(row.ok);
		}
		expect(failAt, "the route made more round trips than this test covers").toBeLessThanOrEqual(MAX_ROUND_TRIPS);
		expect(failAt).toBeGreaterThan(1);
	});
});
