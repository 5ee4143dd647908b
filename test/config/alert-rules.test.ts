// The alert tuning vars as a pure rule: EVENT_OUTCOME_REMINDER is an ISO 8601 duration with a
// default, and a bad value falls back to it (with a warning) like every other alert var.
import { afterEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_ALERT_RULES, resolveAlertRules } from "../../worker/config/alert-rules";

const DAY = 86_400_000;

describe("EVENT_OUTCOME_REMINDER", () => {
	afterEach(() => vi.restoreAllMocks());

	it("defaults to two days, reads a duration, and PT0S turns the reminder off", () => {
		expect(DEFAULT_ALERT_RULES.outcomeReminderMs).toBe(2 * DAY);
		expect(resolveAlertRules({}).outcomeReminderMs).toBe(2 * DAY);
		expect(resolveAlertRules({ EVENT_OUTCOME_REMINDER: " P5D " }).outcomeReminderMs).toBe(5 * DAY);
		expect(resolveAlertRules({ EVENT_OUTCOME_REMINDER: "PT12H" }).outcomeReminderMs).toBe(DAY / 2);
		expect(resolveAlertRules({ EVENT_OUTCOME_REMINDER: "PT0S" }).outcomeReminderMs).toBe(0);
	});

	it("a value that is not a fixed-length duration keeps the default and says so in the log", () => {
		const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
		for (const bad of ["2 days", "P1M", "-P2D"]) {
			expect(resolveAlertRules({ EVENT_OUTCOME_REMINDER: bad }).outcomeReminderMs).toBe(2 * DAY);
		}
		expect(warn).toHaveBeenCalledTimes(3);
		expect(warn.mock.calls[0]?.[0]).toMatch(/^EVENT_OUTCOME_REMINDER: /);
	});
});
