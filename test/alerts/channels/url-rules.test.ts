import { describe, expect, it } from "vitest";
import { isLocalAppUrl, urlRuleBroken } from "../../../worker/alerts/channels/url-rules";

const PROD = "https://vigil.example.org";
const LOCAL = "http://localhost:8787";

describe("receiver URL rules", () => {
	it("allows public https URLs, with ports, paths and queries", () => {
		for (const url of [
			"https://hooks.slack.com/services/T0/B0/xyz",
			"https://cms.example.org:8443/hooks?x=1",
			"https://8.8.8.8/h",
			"https://[2606:4700::1111]/h",
		]) {
			expect(urlRuleBroken(url, PROD), url).toBeNull();
		}
	});

	it("refuses private, loopback, link-local, shared and unspecified literals in every spelling the URL parser accepts", () => {
		for (const url of [
			"https://127.1/",
			"https://2130706433/",
			"https://0x7f000001/",
			"https://0.0.0.0/",
			"https://172.16.0.1/",
			"https://172.31.255.255/",
			"https://192.168.1.1/",
			"https://100.64.0.1/",
			"https://169.254.1.1/",
			"https://224.0.0.1/",
			"https://[::]/",
			"https://[fe80::1%25eth0]/",
			"https://[fc00::1]/",
			"https://[::ffff:10.0.0.1]/",
			"https://[::ffff:7f00:1]/",
			"https://printer.local/",
			"https://app.localhost/",
		]) {
			expect(urlRuleBroken(url, PROD), url).not.toBeNull();
		}
		expect(urlRuleBroken("https://172.32.0.1/", PROD)).toBeNull();
	});

	it("allows http://localhost and 127.0.0.1 only when APP_URL is itself a localhost URL", () => {
		expect(isLocalAppUrl(LOCAL)).toBe(true);
		expect(isLocalAppUrl(PROD)).toBe(false);
		for (const url of ["http://localhost:9000/hook", "http://127.0.0.1:9000/hook", "http://[::1]:9000/"]) {
			expect(urlRuleBroken(url, LOCAL), url).toBeNull();
			expect(urlRuleBroken(url, PROD), url).toMatch(/allowed only when APP_URL is itself a localhost URL/);
		}
		// A local run still refuses plain http elsewhere, and private addresses.
		expect(urlRuleBroken("http://example.org/hook", LOCAL)).toMatch(/https/);
		expect(urlRuleBroken("https://10.0.0.2/hook", LOCAL)).toMatch(/private/);
	});
});
