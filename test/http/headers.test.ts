// Headers every response carries, whatever answered it: nosniff, and a cache policy that keeps
// authenticated answers out of shared caches. The HTML pages' own CSPs are tested beside them.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../worker/index";
import { ADMIN, call, uniqueSlug } from "../support/http";

const READ_TOKEN = "headers-read-token";

/** The Worker's own handler with READ_TOKEN set (the plugin's env is shared by every file). */
async function callClosed(path: string, init: RequestInit = {}): Promise<Response> {
	const ctx = createExecutionContext();
	const res = await worker.fetch(new Request(`https://vigil.test${path}`, init), { ...env, READ_TOKEN }, ctx);
	await waitOnExecutionContext(ctx);
	return res;
}

async function unsubscribePath(): Promise<string> {
	const res = await call("/api/subscribers", { method: "POST", admin: true, json: { email: `${uniqueSlug("h")}@example.org` } });
	expect(res.status).toBe(201);
	return new URL(((await res.json()) as { unsubscribe_url: string }).unsubscribe_url).pathname;
}

const varies = (res: Response) => (res.headers.get("vary") ?? "").split(",").map((v) => v.trim().toLowerCase());

describe("X-Content-Type-Options: nosniff", () => {
	it.each([
		["JSON", "/healthz", {}],
		["a JSON list", "/api/milestones?limit=1", {}],
		["CSV", "/api/incidents.csv", {}],
		["GeoJSON", "/api/incidents.geojson", {}],
		["Atom", "/feeds/incidents.atom", {}],
		["iCalendar", "/feeds/milestones.ics", {}],
		["the API document", "/openapi.json", {}],
		["the status page", "/", {}],
		["a 404 for a path no route knows", "/nowhere/at/all", {}],
		["a 404 for a method no route knows", "/healthz", { method: "DELETE" }],
		["a 401", "/api/alerts", {}],
		["a 415 from the body rules", "/api/milestones", { method: "POST", headers: { ...ADMIN, "content-type": "text/plain" }, body: "x" }],
		["a 422", "/api/milestones", { method: "POST", headers: { ...ADMIN, "content-type": "application/json" }, body: "{}" }],
	] as const)("is on %s (%s)", async (_, path, init) => {
		const res = await call(path, init);
		await res.arrayBuffer();
		expect(res.headers.get("x-content-type-options")).toBe("nosniff");
	});

	it("is on the unsubscribe page, before and after the click", async () => {
		const path = await unsubscribePath();
		for (const method of ["GET", "POST"]) {
			const res = await call(path, { method });
			expect(res.status).toBe(200);
			await res.arrayBuffer();
			expect(res.headers.get("x-content-type-options")).toBe("nosniff");
		}
	});
});

describe("Cache-Control for authenticated requests", () => {
	it.each(["/feeds/milestones.ics", "/feeds/incidents.atom"])(
		"%s is public to anonymous readers, private with a bearer token, and varies on it",
		async (path) => {
			const open = await call(path);
			expect(open.status).toBe(200);
			expect(open.headers.get("cache-control")).toMatch(/^public, max-age=\d+$/);
			expect(varies(open)).toContain("authorization");

			const withToken = await call(path, { headers: ADMIN });
			expect(withToken.status).toBe(200);
			expect(withToken.headers.get("cache-control")).toMatch(/^private, max-age=\d+$/);
			expect(varies(withToken)).toContain("authorization");
		},
	);

	it.each([
		"/feeds/milestones.ics",
		"/feeds/incidents.atom",
		"/status",
		"/",
		"/api/milestones?limit=1",
		"/api/incidents.csv",
		"/openapi.json",
		"/docs",
		"/healthz",
	])("%s is never public once READ_TOKEN closes reads", async (path) => {
		const res = await callClosed(path, { headers: { authorization: `Bearer ${READ_TOKEN}` } });
		expect(res.status).toBe(200);
		await res.arrayBuffer();
		const cacheControl = res.headers.get("cache-control") ?? "";
		expect(cacheControl).toMatch(/\b(private|no-store)\b/);
		expect(cacheControl).not.toMatch(/\bpublic\b/);
	});

	it("a refusal under READ_TOKEN is not stored either", async () => {
		const res = await callClosed("/feeds/milestones.ics");
		expect(res.status).toBe(401);
		expect(res.headers.get("cache-control")).toBe("no-store");
	});

	it("an admin answer with no policy of its own is no-store", async () => {
		const res = await call("/api/subscribers", { headers: ADMIN });
		expect(res.status).toBe(200);
		expect(res.headers.get("cache-control")).toBe("no-store");
	});
});
