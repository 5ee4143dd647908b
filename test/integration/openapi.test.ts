import { describe, expect, it } from "vitest";
import { call } from "../helpers";

interface Operation {
	summary?: string;
	responses: Record<string, unknown>;
}

describe("the API document", () => {
	it("is OpenAPI 3.1 with every milestone route, each summarised and with its errors", async () => {
		const res = await call("/openapi.json");
		expect(res.status).toBe(200);
		const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, Operation>>; components: { securitySchemes: Record<string, unknown> } };
		expect(doc.openapi).toBe("3.1.0");
		expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/milestones", "/api/milestones/{id}", "/api/milestones/{id}/revisions", "/status", "/healthz", "/api/zones"]));
		expect(doc.components.securitySchemes.bearerAuth).toBeDefined();
		for (const [path, ops] of Object.entries(doc.paths)) {
			for (const [method, op] of Object.entries(ops)) {
				expect(op.summary, `${method} ${path}`).toBeTruthy();
				expect(Object.keys(op.responses).some((s) => s.startsWith("4") || s.startsWith("5")), `${method} ${path} documents an error`).toBe(true);
			}
		}
	});

	it("serves a docs page that points at the document", async () => {
		const res = await call("/docs");
		expect(res.status).toBe(200);
		expect(await res.text()).toContain("/openapi.json");
	});
});
