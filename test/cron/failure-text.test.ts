// What a failed cron run records (cron_runs.error, shown on /status) and logs: D1's own error,
// never the statement that failed with its parameters, which hold addresses and message text.
import { env } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { DrizzleQueryError } from "drizzle-orm/errors";
import { describe, expect, it, vi } from "vitest";
import { SWEEP } from "../../worker/cron/jobs";
import { cronRuns } from "../../worker/db/schema";
import { describeError } from "../../worker/log";
import { runScheduled } from "../../worker/scheduled";
import { DAY, HOUR, scenario } from "../support/alerts";
import { db } from "../support/db";
import { FakeEmail } from "../support/fake-email";
import { type FaultPlan, faultyD1 } from "../support/faulty-d1";

describe("a failed query in a cron run", () => {
	it("is recorded and logged as D1's error, without the SQL or the parameters (a subscriber's address)", async () => {
		// Minute 17 past the hour in 2001: no chore falls on it; each attempt has its own minute.
		const first = Date.UTC(2001, 0, 1, 0, 17);
		const logged: string[] = [];
		const spies = (["log", "error", "warn"] as const).map((level) =>
			vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
				logged.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" "));
			}),
		);
		try {
			let failures = 0;
			// Round trips 1 and 2 are the idle probe and the run's record; from 3, the sweep's own.
			for (let failAt = 3; failAt <= 24; failAt++) {
				const at = first + failAt * HOUR;
				const { email } = await scenario(at + 2 * HOUR, at - 10 * DAY, { alert_offsets: ["PT3H"] });
				const plan: FaultPlan = { failAt, calls: 0 };
				await runScheduled({ cron: SWEEP.cron, scheduledTime: at }, { ...env, DB: faultyD1(env.DB, plan), EMAIL: new FakeEmail() }, new Date(at)).catch(
					() => undefined,
				);
				if (plan.calls < failAt) continue; // this run made fewer round trips: none failed
				const [run] = await db
					.select()
					.from(cronRuns)
					.where(and(eq(cronRuns.job, "sweep"), eq(cronRuns.scheduledTime, new Date(at))));
				for (const text of [run?.error ?? "", ...logged]) {
					expect(text, `round trip ${failAt}`).not.toContain(email);
					expect(text, `round trip ${failAt}`).not.toMatch(/Failed query|params:/);
				}
				if (run?.error?.includes("D1_ERROR: Network connection lost.")) failures++;
				logged.length = 0;
			}
			expect(failures).toBeGreaterThan(5);
		} finally {
			for (const spy of spies) spy.mockRestore();
		}
	});

	it("describes a drizzle query error by its cause alone", () => {
		const cause = new Error("D1_ERROR: Network connection lost.");
		const e = new DrizzleQueryError('insert into "alerts" ("recipient") values (?)', ["someone@example.org"], cause);
		expect(describeError(e)).toBe("Error: D1_ERROR: Network connection lost.");
		expect(describeError(new TypeError("x is not a function"))).toBe("TypeError: x is not a function");
		expect(describeError("a string")).toBe("a string");
		expect(describeError(new DrizzleQueryError("select 1", [], undefined as unknown as Error))).toBe("Error: a D1 query failed");
	});
});
