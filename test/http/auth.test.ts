import { createExecutionContext, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../worker/app";
import type { Env } from "../../worker/env";
import { brokenD1 } from "../support/faulty-d1";
import { problem } from "../support/http";

const app = createApp();
const withEnv =
	(overrides: Partial<Env>) =>
	(path: string, init: RequestInit = {}) =>
		app.fetch(new Request(`https://vigil.test${path}`, init), { ...env, ...overrides }, createExecutionContext());

describe("READ_TOKEN", () => {
	const call = withEnv({ READ_TOKEN: "reader-token" });

	it.each(["/status", "/", "/api/milestones", "/api/milestones/1/revisions"])("closes %s to anonymous readers", async (path) => {
		await problem(await call(path), 401);
		await problem(await call(path, { headers: { authorization: "Bearer wrong" } }), 401);
	});

	it("opens reads to the read token and to the admin token", async () => {
		expect((await call("/status", { headers: { authorization: "Bearer reader-token" } })).status).toBe(200);
		expect((await call("/status", { headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` } })).status).toBe(200);
	});

	it("does not let the read token write", async () => {
		const res = await call("/api/milestones", {
			method: "POST",
			headers: { authorization: "Bearer reader-token", "content-type": "application/json" },
			body: '{"title":"x","due":"2030"}',
		});
		await problem(res, 401);
	});

	it("leaves healthz, the API document and the docs open", async () => {
		for (const path of ["/healthz", "/openapi.json", "/docs"]) expect((await call(path)).status).toBe(200);
	});
});

describe("no ADMIN_TOKEN configured", () => {
	it("refuses every write rather than accepting any token", async () => {
		const call = withEnv({ ADMIN_TOKEN: undefined });
		await problem(
			await call("/api/milestones", { method: "POST", headers: { authorization: "Bearer ", "content-type": "application/json" }, body: "{}" }),
			401,
		);
		await problem(
			await call("/api/milestones", { method: "POST", headers: { authorization: "Bearer anything", "content-type": "application/json" }, body: "{}" }),
			401,
		);
	});
});

describe("D1 failing", () => {
	const failing = brokenD1(env.DB, () => new Error("D1_ERROR: Network connection lost."));

	it("answers 503 with Retry-After, not a bare 500", async () => {
		const call = withEnv({ DB: failing });
		for (const path of ["/healthz", "/status", "/api/milestones"]) {
			const res = await call(path);
			await problem(res, 503);
			expect(res.headers.get("retry-after")).toBe("5");
		}
	});
});

describe("errors that are ours, not D1's", () => {
	const brokenSql = brokenD1(env.DB, () => new Error("D1_ERROR: too many SQL variables at offset 412: SQLITE_ERROR"));

	it("answers a SQL bug with 500, not a 503 that invites retries", async () => {
		const res = await withEnv({ DB: brokenSql })("/api/milestones");
		await problem(res, 500);
		expect(res.headers.get("retry-after")).toBeNull();
	});
});

describe("writes without a body", () => {
	const call = withEnv({});
	const admin = { authorization: `Bearer ${env.ADMIN_TOKEN}` };

	it("need no content type, and a route that wants a body still refuses them with a 422 naming what is missing", async () => {
		const res = await call("/api/milestones", { method: "POST", headers: admin });
		expect((await problem(res, 422)).errors?.map((e) => e.path)).toEqual(["/title", "/due"]);
	});

	it("let a bodiless rotate through without a content type", async () => {
		const created = await call("/api/sources", {
			method: "POST",
			headers: { ...admin, "content-type": "application/json" },
			body: JSON.stringify({ slug: `rot-${Date.now()}`, name: "Rotating" }),
		});
		const { id, secret } = (await created.json()) as { id: number; secret: string };
		const res = await call(`/api/sources/${id}/rotate`, { method: "POST", headers: admin });
		expect(res.status).toBe(200);
		const body = (await res.json()) as { secret: string };
		expect(body.secret).toMatch(/^whsec_/);
		expect(body.secret).not.toBe(secret);
	});
});
