import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { encodeCursor } from "../../worker/http/pagination";
import { listMilestonesQuery } from "../../worker/milestones/queries";
import { MilestoneQuery } from "../../worker/milestones/schema";
import { db } from "../support/db";

/** SQLite's plan for the list's real query (the drizzle SQL with its parameters). */
async function planOf(query: string): Promise<string> {
	const q = MilestoneQuery.parse(Object.fromEntries(new URLSearchParams(query)));
	const { sql, params } = listMilestonesQuery(db, q).toSQL();
	const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
		.bind(...params)
		.all<{ detail: string }>();
	return plan.results.map((p) => p.detail).join("\n");
}

describe("the milestone list's query plan", () => {
	// A cursor deep in 100k milestones: walking the index from the earliest row to it would make the
	// 1,000th page cost a thousand first pages.
	const cursor = encodeCursor({ k: Date.parse("2027-06-01T00:00:00Z"), id: 50_000 });

	it("seeks a later page to its cursor through the (due_at, id) index, in order, without a sort", async () => {
		const details = await planOf(`limit=50&cursor=${cursor}`);
		expect(details).toMatch(/SEARCH milestones USING (COVERING )?INDEX milestones_due_at \(/);
		expect(details).not.toMatch(/SCAN milestones/);
		expect(details).not.toMatch(/TEMP B-TREE/);
	});
});
