// The configuration check as a pure rule: which values of the four required settings (and of
// RETAIN_INCIDENTS_DAYS) are missing or invalid, what it says about them, and that it never repeats a value.
import { describe, expect, it } from "vitest";
import { type ConfigVars, checkConfig, readRetainDays } from "../../worker/config/check";

const GOOD: ConfigVars = {
	ADMIN_TOKEN: "a-long-random-admin-token",
	SECRETS_KEY: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
	APP_URL: "https://vigil.example.net",
	ALERT_FROM: "alerts@vigil.example.net",
};

/** The settings named as problems when one setting has this value. */
const faultsWith = (over: ConfigVars) => checkConfig({ ...GOOD, ...over }).map((p) => p.setting);

describe("checkConfig", () => {
	it("finds nothing wrong with a complete production configuration", () => {
		expect(checkConfig(GOOD)).toEqual([]);
	});

	it("names every required setting that is missing, empty or blank, in a fixed order", () => {
		expect(checkConfig({}).map((p) => p.setting)).toEqual(["ADMIN_TOKEN", "SECRETS_KEY", "APP_URL", "ALERT_FROM"]);
		for (const setting of ["ADMIN_TOKEN", "SECRETS_KEY", "APP_URL", "ALERT_FROM"] as const) {
			for (const value of [undefined, "", "  "]) {
				const problems = checkConfig({ ...GOOD, [setting]: value });
				expect(problems, `${setting}=${JSON.stringify(value)}`).toEqual([{ setting, problem: expect.stringMatching(/^is not set/) }]);
			}
		}
	});

	it("wants SECRETS_KEY to be exactly 32 bytes of base64", () => {
		expect(faultsWith({ SECRETS_KEY: "not base64 at all!" })).toEqual(["SECRETS_KEY"]);
		expect(faultsWith({ SECRETS_KEY: "AAECAwQFBgcICQoLDA0ODw==" })).toEqual(["SECRETS_KEY"]); // 16 bytes
		expect(faultsWith({ SECRETS_KEY: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gIQ==" })).toEqual(["SECRETS_KEY"]); // 34 bytes
	});

	it("takes an https APP_URL anywhere, and http only on this machine", () => {
		for (const ok of ["https://vigil.example.net/", "http://localhost:8787", "http://127.0.0.1:40123", "http://[::1]:8787", "http://vigil.localhost"]) {
			expect(faultsWith({ APP_URL: ok }), ok).toEqual([]);
		}
		for (const bad of ["http://vigil.example.net", "http://localhost.example.net", "ftp://vigil.example.net", "vigil.example.net", "/status"]) {
			expect(faultsWith({ APP_URL: bad }), bad).toEqual(["APP_URL"]);
		}
		expect(checkConfig({ ...GOOD, APP_URL: "http://vigil.example.net" })[0]?.problem).toMatch(/must be an https URL/);
	});

	it("wants ALERT_FROM to be a bare email address", () => {
		expect(faultsWith({ ALERT_FROM: "vigil@mail.example.net" })).toEqual([]);
		for (const bad of [
			"vigil",
			"vigil@",
			"@example.net",
			"vigil@localhost",
			"Vigil <vigil@example.net>",
			"a b@example.net",
			"vigil@example.net\r\nBcc: x@y.z",
		]) {
			expect(faultsWith({ ALERT_FROM: bad }), bad).toEqual(["ALERT_FROM"]);
		}
	});

	it("takes RETAIN_INCIDENTS_DAYS unset, blank, or a whole number of days from 1 to 36,500, and names any other value", () => {
		for (const ok of [undefined, "", "  ", "1", "90", " 365 ", "36500"]) expect(faultsWith({ RETAIN_INCIDENTS_DAYS: ok }), JSON.stringify(ok)).toEqual([]);
		for (const bad of ["0", "-1", "1.5", "1e3", "0x10", "30d", "P30D", "36501", "99999999999999999999"]) {
			const problems = checkConfig({ ...GOOD, RETAIN_INCIDENTS_DAYS: bad });
			expect(problems, bad).toEqual([
				{ setting: "RETAIN_INCIDENTS_DAYS", problem: expect.stringMatching(/^is not a whole number of days from 1 to 36500: no incident is deleted/) },
			]);
		}
		expect(readRetainDays(" 365 ")).toEqual({ days: 365 });
		expect(readRetainDays(undefined)).toEqual({ days: null });
	});

	it("never repeats a value in what it says", () => {
		const bad: ConfigVars = {
			ADMIN_TOKEN: "",
			SECRETS_KEY: "c2VjcmV0LWtleS12YWx1ZQ==",
			APP_URL: "http://secret-host.example.net",
			ALERT_FROM: "secret-sender",
			RETAIN_INCIDENTS_DAYS: "secret-days",
		};
		const said = JSON.stringify(checkConfig(bad));
		for (const value of Object.values(bad)) if (value) expect(said).not.toContain(value);
	});
});
