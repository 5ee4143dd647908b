import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { reportIdsSQL } from "../../../worker/incidents/intake/receipts";
import { db } from "../../support/db";

describe("the stored answer of a report batch", () => {
	it("probes the (source_id, external_id) index once per id instead of walking the source's incidents", async () => {
		// With a plain JOIN, D1's planner may put incidents outside json_each and walk every incident
		// of the source for each batch, so a message's cost would grow with its source's history.
		const ids = Array.from({ length: 500 }, (_, i) => `plan-${i}`);
		const guard = { sourceId: 1, secretEnc: "x", previousExpiresAt: null, zonesVersion: "0/0/0" };
		const receipt = { guard, webhookId: "msg_plan", bodySha256: "0", now: new Date("2031-01-01T00:00:00Z") };
		const { sql, params } = reportIdsSQL(db, receipt, ids);
		const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
			.bind(...params)
			.all<{ detail: string }>();
		const details = plan.results.map((p) => p.detail).join("\n");
		expect(details).toMatch(/SCAN j VIRTUAL TABLE/);
		expect(details).toMatch(/SEARCH i USING (COVERING )?INDEX incidents_source_external \(source_id=\? AND external_id=\?\)/);
		expect(details.indexOf("SCAN j")).toBeLessThan(details.indexOf("SEARCH i"));
	});
});
