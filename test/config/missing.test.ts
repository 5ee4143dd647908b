// A deployed Vigil with a required setting missing or invalid: it keeps answering, /healthz says
// 503 and names the setting, /status and / show it degraded, and the crons record why (skipping
// the jobs that send, so nothing is sent half-configured and nothing is lost).
import { createExecutionContext, createScheduledController, env } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SWEEP } from "../../worker/cron/jobs";
import type { Env } from "../../worker/env";
import worker from "../../worker/index";
import { runScheduled } from "../../worker/scheduled";
import type { StatusJson } from "../../worker/status/schema";
import { DAY, HOUR, ledgerOf, scenario } from "../support/alerts";
import { FakeEmail } from "../support/fake-email";
import { problem } from "../support/http";

/** The bindings of these tests, with some settings replaced (undefined: not set at all). */
const envWith = (over: Partial<Env>): Env => ({ ...env, ...over });

const get = (path: string, bindings: Env) => worker.fetch(new Request(`https://vigil.test${path}`), bindings, createExecutionContext());

/** The cron_run row of the run scheduled at `at`. */
const runAt = (at: Date) =>
	env.DB.prepare("SELECT job, counts, error FROM cron_runs WHERE scheduled_time = ?")
		.bind(at.getTime())
		.first<{ job: string; counts: string | null; error: string | null }>();

let minute = 0;
/** A sweep's scheduled time no other test in this file uses. */
const nextSlot = () => new Date(Date.UTC(2030, 0, 1) + ++minute * 600_000);

const CASES = [
	{ name: "missing SECRETS_KEY", over: { SECRETS_KEY: undefined }, setting: "SECRETS_KEY", sends: true },
	{ name: "missing ADMIN_TOKEN", over: { ADMIN_TOKEN: undefined }, setting: "ADMIN_TOKEN", sends: true },
	{ name: "an http APP_URL that is not localhost", over: { APP_URL: "http://vigil.example.net" }, setting: "APP_URL", sends: false },
	{ name: "an empty ALERT_FROM", over: { ALERT_FROM: "" }, setting: "ALERT_FROM", sends: false },
] as const;

describe("a Vigil missing configuration", () => {
	describe.each(CASES)("with $name", ({ over, setting, sends }) => {
		const bindings = envWith(over);

		it("answers /healthz with a 503 problem that names the setting", async () => {
			const body = await problem(await get("/healthz", bindings), 503);
			expect(body.type).toBe("urn:vigil:problem:not_configured");
			expect(body.detail).toContain(`${setting} `);
			expect(body.errors).toEqual([{ path: setting, message: expect.any(String) }]);
		});

		it("shows /status and / degraded, with the setting named", async () => {
			const res = await get("/status", bindings);
			expect(res.status).toBe(200);
			const status: StatusJson = await res.json();
			expect(status.status).toBe("degraded");
			expect(status.configuration).toEqual({ ok: false, problems: [{ setting, problem: expect.any(String) }] });

			const page = await get("/", bindings);
			expect(page.status).toBe(200);
			const html = await page.text();
			expect(html).toContain('<span class="badge degraded">degraded</span>');
			expect(html).toContain('<div class="degraded" data-configuration="">');
			expect(html).toContain(`<code>${setting}</code> ${status.configuration.problems[0]?.problem}`);
		});

		it(`records the reason in the sweep's cron_run${sends ? " and still sends" : ", and skips it"}`, async () => {
			const at = nextSlot();
			await runScheduled(createScheduledController({ cron: SWEEP.cron, scheduledTime: at }), { ...bindings, EMAIL: new FakeEmail() }, at);
			const row = await runAt(at);
			expect(row?.job).toBe("sweep");
			expect(row?.error).toMatch(new RegExp(`^${sends ? "" : "not run, "}configuration incomplete: ${setting} `));
			if (sends) expect(JSON.parse(row?.counts ?? "null")).toMatchObject({ emails: expect.any(Number), sent: expect.any(Number) });
			else expect(row?.counts).toBeNull();
		});
	});

	it("answers /healthz 200 and /status ok as to configuration when everything is set", async () => {
		expect(await (await get("/healthz", env)).json()).toEqual({ ok: true });
		const status: StatusJson = await (await get("/status", env)).json();
		expect(status.configuration).toEqual({ ok: true, problems: [] });
	});

	it("names every faulty setting at once and never shows a value", async () => {
		const secretish = "AAECAwQFBgcICQoLDA0ODw=="; // base64, but 16 bytes
		const bindings = envWith({ ADMIN_TOKEN: undefined, SECRETS_KEY: secretish, APP_URL: "http://private-host.example.net", ALERT_FROM: "Vigil Alerts" });
		const healthz = await problem(await get("/healthz", bindings), 503);
		expect(healthz.errors?.map((e) => e.path)).toEqual(["ADMIN_TOKEN", "SECRETS_KEY", "APP_URL", "ALERT_FROM"]);
		const at = nextSlot();
		await runScheduled(createScheduledController({ cron: SWEEP.cron, scheduledTime: at }), bindings, at);
		const said = [
			JSON.stringify(healthz),
			await (await get("/status", bindings)).text(),
			await (await get("/", bindings)).text(),
			JSON.stringify(await runAt(at)),
		];
		for (const text of said) for (const value of [secretish, "private-host", "Vigil Alerts"]) expect(text).not.toContain(value);
	});
});

describe("the sweep while alert emails cannot be sent", () => {
	const DUE = Date.UTC(2032, 5, 1, 12);
	beforeEach(() => vi.useFakeTimers({ toFake: ["Date"] }));
	afterEach(() => vi.useRealTimers());

	const sweep = (bindings: Env, at: number) => {
		vi.setSystemTime(at);
		return runScheduled(createScheduledController({ cron: SWEEP.cron, scheduledTime: at }), bindings, new Date(at));
	};

	it("leaves a pending alert pending, plans nothing, and after the fix sends only the smallest crossed offset", async () => {
		const { email } = await scenario(DUE, DUE - 40 * DAY);
		const mail = new FakeEmail();
		const good = envWith({ EMAIL: mail });
		const broken = envWith({ EMAIL: mail, ALERT_FROM: "" });

		// 30 days out, the send fails once: the alert waits for its retry.
		mail.failFor(email, 1);
		await sweep(good, DUE - 30 * DAY + 60_000);
		const [waiting] = await ledgerOf(email);
		expect([waiting?.offset, waiting?.status, waiting?.attempts]).toEqual(["P30D", "pending", 1]);

		// Misconfigured for weeks: no retry, no new row, nothing sent.
		for (const before of [20 * DAY, 7 * DAY, 2 * DAY]) await sweep(broken, DUE - before);
		expect(mail.to(email)).toEqual([]);
		expect(await ledgerOf(email)).toEqual([waiting]);

		// Fixed 20 hours before the deadline: the waiting row goes out, and "1 day left" is planned
		// and sent, never the 7-day one that was crossed meanwhile.
		await sweep(good, DUE - 20 * HOUR);
		expect((await ledgerOf(email)).map((r) => [r.offset, r.status])).toEqual([
			["P30D", "sent"],
			["P1D", "sent"],
		]);
	});
});
