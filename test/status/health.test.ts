// The verdict and its one-line reason, as a pure rule over the figures.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addReason, judgeHealth } from "../../worker/status/health";
import { propertyRuns } from "../support/runs";

const facts = fc.record({
	overdueDeadlines: fc.nat(5),
	staleJobs: fc.subarray(["sweep", "digest"]),
	failedAlerts: fc.nat(5),
	deadLettered: fc.nat(3),
});

describe("judgeHealth", () => {
	it("degrades a page for an overdue deadline or a stale cron, the instance for a stale cron, a failed alert or a dead-lettered webhook, and gives a reason exactly then", () => {
		fc.assert(
			fc.property(facts, (f) => {
				const page = judgeHealth(f, "page");
				const site = judgeHealth(f, "site");
				expect(page.status === "degraded").toBe(f.overdueDeadlines > 0 || f.staleJobs.length > 0);
				expect(site.status === "degraded").toBe(f.failedAlerts > 0 || f.staleJobs.length > 0 || f.deadLettered > 0);
				for (const h of [page, site]) {
					expect(h.reason === null).toBe(h.status === "ok");
					if (h.reason) expect(h.reason).not.toMatch(/\n/);
				}
				if (f.overdueDeadlines > 0) expect(page.reason).toContain(`${f.overdueDeadlines} deadline`);
				if (f.failedAlerts > 0) expect(site.reason).toContain(`${f.failedAlerts} alert`);
				if (f.deadLettered > 0) expect(site.reason).toContain(`${f.deadLettered} queued webhook`);
			}),
			{ numRuns: propertyRuns(200) },
		);
	});

	it("reads as a sentence", () => {
		expect(judgeHealth({ overdueDeadlines: 2, staleJobs: ["sweep", "digest"], failedAlerts: 1, deadLettered: 0 }, "page").reason).toBe(
			"2 deadlines are overdue; the sweep and digest crons are stale",
		);
		expect(judgeHealth({ overdueDeadlines: 0, staleJobs: [], failedAlerts: 1, deadLettered: 0 }, "site").reason).toBe("1 alert failed");
		expect(addReason({ status: "ok", reason: null }, "configuration incomplete (SECRETS_KEY)")).toEqual({
			status: "degraded",
			reason: "Configuration incomplete (SECRETS_KEY)",
		});
	});
});
