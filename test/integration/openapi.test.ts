import { describe, expect, it } from "vitest";
import { call } from "../helpers";

type Operation = { summary?: string; responses?: Record<string, { content?: Record<string, { schema?: unknown; example?: unknown; examples?: unknown }> }> };
type Doc = { openapi: string; paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, unknown> } };

const METHODS = new Set(["get", "post", "put", "patch", "delete"]);
// A liveness probe takes no input and no token: no client error exists for it to document.
const NO_CLIENT_ERRORS = new Set(["GET /healthz"]);

async function document(): Promise<Doc> {
	const res = await call("/openapi.json");
	expect(res.status).toBe(200);
	return (await res.json()) as Doc;
}

function operations(doc: Doc): [string, Operation][] {
	return Object.entries(doc.paths).flatMap(([path, item]) =>
		Object.entries(item)
			.filter(([m]) => METHODS.has(m))
			.map(([m, op]): [string, Operation] => [`${m.toUpperCase()} ${path}`, op]),
	);
}

describe("/openapi.json", () => {
	// Validation against the OpenAPI 3.1 schema is in test/node/openapi-valid.test.ts: swagger-parser does not load in workerd.
	it("gives every operation a summary and at least one 4xx problem response", async () => {
		const ops = operations(await document());
		expect(ops.length).toBeGreaterThan(5);
		const names = ops.map(([name]) => name);
		for (const exempt of NO_CLIENT_ERRORS) expect(names).toContain(exempt);
		expect(ops.filter(([, op]) => !op.summary?.trim()).map(([name]) => name)).toEqual([]);
		const no4xx = ops.filter(([name, op]) => !NO_CLIENT_ERRORS.has(name) && !Object.keys(op.responses ?? {}).some((code) => /^4\d\d$/.test(code)));
		expect(no4xx.map(([name]) => name)).toEqual([]);
		for (const [, op] of ops) {
			for (const [code, res] of Object.entries(op.responses ?? {})) {
				if (/^[45]/.test(code)) expect(Object.keys(res.content ?? {})).toEqual(["application/problem+json"]);
			}
		}
	});

	it("documents the Atom feed and the status page", async () => {
		const doc = await document();
		expect(doc.paths["/feeds/incidents.atom"]?.get?.responses?.["200"]?.content?.["application/atom+xml"]?.example).toContain("<feed");
		expect(doc.paths["/"]?.get?.summary).toBe("The status page (HTML)");
	});
});

describe("/docs", () => {
	it("serves Scalar's page with a CSP that pins its CDN and hashes its inline bootstrap", async () => {
		const res = await call("/docs");
		expect(res.status).toBe(200);
		const csp = res.headers.get("content-security-policy") ?? "";
		expect(csp).toMatch(/script-src https:\/\/cdn\.jsdelivr\.net 'sha256-[A-Za-z0-9+/]+=*'/);
		expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
		expect(csp).toContain("default-src 'none'");
		expect(res.headers.get("x-content-type-options")).toBe("nosniff");
		expect(await res.text()).toContain("/openapi.json");
	});
});
