// The EMAIL binding failing with each error code Cloudflare's send_email binding documents, for
// k runs, then recovering: the alert goes out exactly once afterwards, and while it is failing
// the failure shows on /status (alerts.pending, then alerts.failed once retries run out) and in
// /api/alerts with the code in last_error. E_RECIPIENT_SUPPRESSED is the exception: retrying
// cannot help, so it suppresses the subscriber at once.
import { describe, expect, it } from "vitest";
import type { AlertJson } from "../../worker/alerts/schema";
import { config, DAY, ledgerOf, scenario, subscriberRow, sweepAt } from "../support/alerts";
import { FakeEmail } from "../support/fake-email";
import { call } from "../support/http";

/** Error codes of the Workers send_email binding (developers.cloudflare.com/email-service/api/send-emails/workers-api/#error-codes). */
const SEND_EMAIL_ERROR_CODES = [
	"E_VALIDATION_ERROR",
	"E_FIELD_MISSING",
	"E_TOO_MANY_RECIPIENTS",
	"E_TOO_MANY_ATTACHMENTS",
	"E_SENDER_NOT_VERIFIED",
	"E_RECIPIENT_NOT_ALLOWED",
	"E_RECIPIENT_SUPPRESSED",
	"E_SENDER_DOMAIN_NOT_AVAILABLE",
	"E_CONTENT_TOO_LARGE",
	"E_RATE_LIMIT_EXCEEDED",
	"E_DAILY_LIMIT_EXCEEDED",
	"E_DELIVERY_FAILED",
	"E_INTERNAL_SERVER_ERROR",
	"E_HEADER_NOT_ALLOWED",
	"E_HEADER_USE_API_FIELD",
	"E_HEADER_VALUE_INVALID",
	"E_HEADER_VALUE_TOO_LONG",
	"E_HEADER_NAME_INVALID",
	"E_HEADERS_TOO_LARGE",
	"E_HEADERS_TOO_MANY",
] as const;

const DUE = Date.UTC(2031, 8, 1, 12);
const MIN = 60_000;
/** The first run: the P7D offset has just been crossed (and P1D is days away). */
const T0 = DUE - 7 * DAY + MIN;

interface StatusAlerts {
	pending: number;
	failed: number;
}
const statusAlerts = async (): Promise<StatusAlerts> => {
	const res = await call("/status");
	expect(res.status).toBe(200);
	const { alerts } = (await res.json()) as { alerts: StatusAlerts };
	return { pending: alerts.pending, failed: alerts.failed };
};
const apiAlerts = async (recipient: string): Promise<AlertJson[]> => {
	const res = await call(`/api/alerts?recipient=${encodeURIComponent(recipient)}`, { admin: true });
	expect(res.status).toBe(200);
	return ((await res.json()) as { items: AlertJson[] }).items;
};

describe("email binding faults", () => {
	// k = 1..maxAttempts-1 failed runs, cycling over the codes: every code that may clear, every k short of giving up.
	const cases = SEND_EMAIL_ERROR_CODES.filter((code) => code !== "E_RECIPIENT_SUPPRESSED").map((code, i) => ({
		code,
		k: (i % (config.alerts.maxAttempts - 1)) + 1,
	}));

	it.each(cases)("$code for $k run(s), then recovering: visible while failing, sent exactly once after", async ({ code, k }) => {
		const { email } = await scenario(DUE, DUE - 40 * DAY);
		const base = await statusAlerts();
		const mail = new FakeEmail();
		mail.failFor(email, k, code);

		let at = T0;
		for (let run = 1; run <= k; run++) {
			await sweepAt(mail, at);
			const [row, ...others] = await ledgerOf(email);
			expect(others).toEqual([]);
			expect([row?.status, row?.attempts, row?.lastError?.startsWith(`${code}: `)]).toEqual(["pending", run, true]);
			expect(await statusAlerts()).toEqual({ pending: base.pending + 1, failed: base.failed });
			expect((await apiAlerts(email)).map((a) => [a.status, a.attempts, a.last_error?.split(":")[0]])).toEqual([["pending", run, code]]);
			// The next run goes at the retry time the backoff set (a run before it must not send).
			await sweepAt(mail, at + MIN);
			expect((await ledgerOf(email))[0]?.attempts).toBe(run);
			at = (row?.nextAttemptAt.getTime() ?? Number.NaN) + MIN;
		}
		expect(mail.to(email)).toEqual([]);

		await sweepAt(mail, at);
		// Further runs (and the backoff times they might have misread) send nothing more.
		for (const later of [at + MIN, at + 10 * MIN, at + 6 * 60 * MIN]) await sweepAt(mail, later);
		expect(mail.to(email)).toHaveLength(1);
		expect((await ledgerOf(email)).map((r) => [r.status, r.attempts, r.lastError, r.messageId])).toEqual([["sent", k + 1, null, mail.idOf(mail.to(email)[0])]]);
		expect(await statusAlerts()).toEqual(base);
		expect((await apiAlerts(email)).map((a) => [a.status, a.last_error])).toEqual([["sent", null]]);
	});

	it("a code that never clears: after the last attempt the alert is failed, counted on /status and listed in /api/alerts, and never sent", async () => {
		const { email } = await scenario(DUE, DUE - 40 * DAY);
		const base = await statusAlerts();
		const mail = new FakeEmail();
		mail.failFor(email, 1_000, "E_SENDER_NOT_VERIFIED");
		let at = T0;
		for (let run = 1; run <= config.alerts.maxAttempts; run++) {
			await sweepAt(mail, at);
			at = ((await ledgerOf(email))[0]?.nextAttemptAt.getTime() ?? Number.NaN) + MIN;
		}
		expect(await statusAlerts()).toEqual({ pending: base.pending, failed: base.failed + 1 });
		const failed = await call(`/api/alerts?status=failed&recipient=${encodeURIComponent(email)}`, { admin: true });
		const items = ((await failed.json()) as { items: AlertJson[] }).items;
		expect(items.map((a) => [a.status, a.attempts, a.last_error?.split(":")[0]])).toEqual([["failed", config.alerts.maxAttempts, "E_SENDER_NOT_VERIFIED"]]);
		await sweepAt(mail, at + DAY);
		expect(mail.to(email)).toEqual([]);
	});

	it("E_RECIPIENT_SUPPRESSED: the subscriber is suppressed, the alert failed at once, and nothing more is tried for them", async () => {
		const { subscriber, email } = await scenario(DUE, DUE - 40 * DAY);
		const base = await statusAlerts();
		const mail = new FakeEmail();
		mail.failFor(email, 1_000, "E_RECIPIENT_SUPPRESSED");
		await sweepAt(mail, T0);
		expect((await ledgerOf(email)).map((r) => [r.status, r.attempts, r.lastError?.split(":")[0]])).toEqual([["failed", 1, "E_RECIPIENT_SUPPRESSED"]]);
		expect(await subscriberRow(subscriber.id)).toMatchObject({ suppressedAt: new Date(T0), suppressedReason: "provider_suppressed" });
		expect(await statusAlerts()).toEqual({ pending: base.pending, failed: base.failed + 1 });
		// Later thresholds (P1D, due) plan nothing for them, so the binding is not even asked.
		for (const at of [T0 + MIN, DUE - DAY + MIN, DUE + MIN]) await sweepAt(mail, at);
		expect(await ledgerOf(email)).toHaveLength(1);
		const res = await call(`/api/subscribers/${subscriber.id}`, { admin: true });
		expect(await res.json()).toMatchObject({ suppressed_reason: "provider_suppressed", suppressed_at: new Date(T0).toISOString() });
	});
});
