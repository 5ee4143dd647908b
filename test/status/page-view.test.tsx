import { describe, expect, it } from "vitest";
import { weeklySeries } from "../../worker/incidents/weekly";
import { statusExample } from "../../worker/status/examples";
import { StatusPage } from "../../worker/status/page";
import type { StatusJson } from "../../worker/status/schema";

const NOW = new Date(statusExample.now);

/** The page as a string, from a status object the way /status would answer it. */
const render = (status: StatusJson = statusExample) =>
	(
		<StatusPage status={status} weekly={weeklySeries([], NOW)} map={{ zones: [], incidents: { points: [], withoutCoordinates: 0 } }} nonce="test-nonce" />
	).toString();

describe("StatusPage view", () => {
	it("lists incidents by zone when the status has them, with a row header per zone", () => {
		const html = render();
		expect(html).toContain('<caption class="muted small">By zone</caption>');
		expect(html).toMatch(/<th scope="row"><bdi>Wadi Hauran<\/bdi><\/th><td>1<\/td><td>5<\/td>/);
		expect(html).toContain("2 in the last 24 hours, 9 in the last 7 days");
	});

	it("leaves the zone table out when there are none, and says so when nothing was counted", () => {
		const html = render({ ...statusExample, incidents: { last_24h: 0, last_7d: 0, verified_share: null, by_zone: [] } });
		expect(html).not.toContain("By zone");
		expect(html).toContain("No incidents recorded in the last 12 weeks.");
		expect(html).toContain('<strong data-verified="">0</strong> of 0 verified (n/a)');
	});

	it("marks failed alerts and stale crons as degraded", () => {
		const html = render({
			...statusExample,
			status: "degraded",
			alerts: { pending: 1, failed: 2, last_sent_at: null },
			cron: { last_run_at: null, stale: true, jobs: [{ job: "sweep", cron: "*/10 * * * *", last_run_at: null, last_error: "boom <b>", stale: true }] },
		});
		expect(html).toContain('<span class="badge degraded">degraded</span>');
		expect(html).toContain('<p class="degraded">Alerts pending: 1, failed: 2, none sent yet.</p>');
		expect(html).toContain('<bdi>sweep</bdi> (<code dir="ltr">*/10 * * * *</code>): has not run yet — stale — last error: <bdi lang="en">boom &lt;b&gt;</bdi>');
	});

	it("puts the nonce on its one style and one script", () => {
		const html = render();
		expect(html.match(/<style nonce="test-nonce">/g)).toHaveLength(1);
		expect(html.match(/<script nonce="test-nonce">/g)).toHaveLength(1);
		expect(html.match(/<script/g)).toHaveLength(1);
	});
});
