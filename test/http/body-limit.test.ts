// The API's body rules (JSON only, 256 KiB) hold on every route but the one that takes a CSV:
// POST /api/incidents/import. Its path under another method gets no exception.
import { describe, expect, it } from "vitest";
import { call, problem } from "../support/http";

const OVER_LIMIT = JSON.stringify({ verification_note: "x".repeat(300 * 1024) });

describe("API body limit", () => {
	it.each(["PATCH", "PUT", "DELETE"])("%s /api/incidents/import with a JSON body over the limit is 413", async (method) => {
		const res = await call("/api/incidents/import", { method, admin: true, headers: { "content-type": "application/json" }, body: OVER_LIMIT });
		const body = await problem(res, 413);
		expect(body.detail).toMatch(/256 KiB/);
	});

	it("PATCH /api/incidents/import with a CSV body is 415: only POST takes CSV", async () => {
		const res = await call("/api/incidents/import", { method: "PATCH", admin: true, headers: { "content-type": "text/csv" }, body: "event_id_cnty\nx\n" });
		await problem(res, 415);
	});

	it("the same body to PATCH /api/incidents/1 is 413 too", async () => {
		await problem(await call("/api/incidents/1", { method: "PATCH", admin: true, headers: { "content-type": "application/json" }, body: OVER_LIMIT }), 413);
	});
});
