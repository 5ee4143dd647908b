// The status page in a real browser: Debian's Chromium driven by playwright-core, against the
// Worker under `wrangler dev --local`. Run with `npm run test:e2e` (see .ci/e2e.sh).
import assert from "node:assert/strict";
import { copyFile, mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { chromium } from "playwright-core";
import { REBUILD_HOURLY } from "../support/rebuild-hourly.mjs";
import { executeSql, startWorker } from "./worker.mjs";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARGS = [
	"--headless",
	"--no-sandbox",
	"--disable-gpu",
	"--disable-background-networking",
	"--disable-component-update",
	"--disable-sync",
	"--no-first-run",
];
const SCREENSHOT = "test/e2e/screenshots/status-page.png";
// The README's copy: written under test/e2e/screenshots/ on every run (git-ignored), and into
// docs/ only when asked (E2E_UPDATE_DOCS=1 npm run test:e2e), so CI leaves the tree clean.
const README_PNG = "test/e2e/screenshots/status-page-readme.png";
const DOCS_PNG = "docs/status-page.png";
const DAY = 86_400_000;
const WEEK = 7 * DAY;

let worker;
let context;
let profile;

const iso = (ms) => new Date(ms).toISOString();
const ymd = (ms) => iso(ms).slice(0, 10);
const ym = (ms) => iso(ms).slice(0, 7);
const sqlText = (s) => `'${String(s).replaceAll("'", "''")}'`;

async function api(path, body) {
	const res = await fetch(`${worker.base}${path}`, {
		method: "POST",
		headers: { "content-type": "application/json", authorization: `Bearer ${worker.adminToken}` },
		body: JSON.stringify(body),
	});
	assert.equal(res.status, 201, `${path}: ${await res.clone().text()}`);
	return res.json();
}

/** Milestones through the API, as an analyst would enter them; a slip, zones and incidents straight into D1. */
async function load() {
	const now = Date.now();
	await api("/api/milestones", {
		slug: "coalition-leaves",
		title: "US-led coalition leaves Ain al-Asad and Camp Victory",
		due: ym(now + 300 * DAY),
		timezone: "Asia/Baghdad",
		tags: ["withdrawal"],
	});
	await api("/api/milestones", { slug: "elections", title: "Parliamentary elections", due: ymd(now + 12 * DAY), kind: "event", timezone: "Asia/Baghdad" });
	await api("/api/milestones", { slug: "committee-review", title: "Joint security committee review", due: iso(now + 2 * DAY + 5 * 3_600_000) });
	const overdue = await api("/api/milestones", { slug: "handover", title: "Handover of Camp Victory", due: ym(now - 60 * DAY), timezone: "Asia/Baghdad" });
	const slipped = await api("/api/milestones", {
		slug: "second-phase",
		title: "Second phase of the withdrawal",
		due: ym(now + 400 * DAY),
		timezone: "Asia/Baghdad",
	});
	assert.ok(overdue.due_at < iso(now));

	const zones = [
		["wadi-hauran", "Wadi Hauran", "Al Anbar", [2, 3, 1, 4, 2, 5, 3, 6, 4, 7, 5, 3]],
		["hamrin", "Hamrin mountains", "Diyala", [1, 0, 2, 1, 3, 2, 2, 1, 4, 3, 2, 1]],
		["syrian-badia", "Syrian Badia", "Homs", [0, 1, 1, 0, 2, 1, 3, 2, 1, 2, 4, 2]],
	];
	const statements = [
		`INSERT INTO sources (slug, name, secret_enc) VALUES ('acled-feed', 'ACLED feed', 'e2e-not-a-secret');`,
		...zones.map(
			([slug, name, admin1]) => `INSERT INTO zones (slug, name, country, admin1) VALUES (${sqlText(slug)}, ${sqlText(name)}, 'Iraq', ${sqlText(admin1)});`,
		),
		// PATCH's slip path is the milestones engineer's; the page only reads the revision it leaves.
		`INSERT INTO milestone_revisions (milestone_id, old_due, new_due, old_due_at, new_due_at, reason, created_at) VALUES (${slipped.id}, ${sqlText(ym(now + 200 * DAY))}, ${sqlText(slipped.due)}, ${Date.parse(slipped.due_at) - 200 * DAY}, ${Date.parse(slipped.due_at)}, 'Postponed by the joint commission', ${now - 2 * DAY});`,
		`UPDATE milestones SET slip_count = 1 WHERE id = ${slipped.id};`,
	];
	let n = 0;
	for (const [slug, , , counts] of zones) {
		counts.forEach((count, i) => {
			const weeksAgo = counts.length - 1 - i;
			for (let k = 0; k < count; k++) {
				const at = Math.min(now - 3_600_000, now - weeksAgo * WEEK - k * 9 * 3_600_000);
				const verification = n % 4 === 3 ? "unverified" : "verified";
				statements.push(
					`INSERT INTO incidents (source_id, external_id, event_date, occurred_precision, occurred_at, reported_at, updated_at, event_type, location, zone_id, verification, fatalities) ` +
						`SELECT s.id, 'e2e-${n++}', ${sqlText(ymd(at))}, 'day', ${at}, ${at}, ${at}, 'Battles', 'near ${slug}', z.id, '${verification}', ${k % 3} FROM sources s, zones z WHERE s.slug = 'acled-feed' AND z.slug = ${sqlText(slug)};`,
				);
			}
		});
	}
	// Worker writes keep incident_hourly in their own batch; rows inserted here need the rebuild.
	statements.push(REBUILD_HOURLY);
	await executeSql(worker.persistTo, statements.join("\n"));
	return { incidents: n };
}

/** A page that records console errors, uncaught exceptions and CSP violations. */
async function watchedPage(ctx) {
	const page = await ctx.newPage();
	const problems = [];
	page.on("console", (msg) => {
		if (msg.type() === "error" || msg.type() === "warning") problems.push(`console.${msg.type()}: ${msg.text()}`);
	});
	page.on("pageerror", (err) => problems.push(`pageerror: ${err.message}`));
	page.on("requestfailed", (req) => problems.push(`requestfailed: ${req.url()}`));
	await page.addInitScript(() => {
		document.addEventListener("securitypolicyviolation", (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
	});
	return { page, problems };
}

before(async () => {
	worker = await startWorker();
	await load();
	profile = await mkdtemp(join(tmpdir(), "vigil-chromium-"));
	context = await chromium.launchPersistentContext(profile, {
		executablePath: CHROMIUM,
		headless: true,
		args: ARGS,
		viewport: { width: 960, height: 900 },
		locale: "en-GB",
	});
});

after(async () => {
	await context?.close();
	if (profile) await rm(profile, { recursive: true, force: true });
	await worker?.stop();
});

describe("status page in Chromium", () => {
	it("loads with no console errors, failed requests or CSP violations, and ticking countdowns", async () => {
		const { page, problems } = await watchedPage(context);
		const res = await page.goto(`${worker.base}/`);
		assert.equal(res.status(), 200);
		assert.match(res.headers()["content-security-policy"], /script-src 'nonce-/);
		const countdown = page.locator("time[data-countdown]").first();
		const first = await countdown.textContent();
		assert.match(first, /^in (\d+ days? )?\d\d:\d\d:\d\d$/, "the script replaced the server's text with a live countdown");
		await page.waitForFunction((before) => document.querySelector("time[data-countdown]").textContent !== before, first, { timeout: 3000 });
		assert.deepEqual(problems, []);
		await page.close();
	});

	it("shows the milestones, the overdue one marked, and the slip as moved from/to", async () => {
		const { page, problems } = await watchedPage(context);
		await page.goto(`${worker.base}/`);
		const next = page.locator("section[aria-labelledby=next] tbody tr");
		assert.equal(await next.count(), 4);
		assert.match(await next.first().textContent(), /Joint security committee review/);
		const overdue = page.locator("tr.overdue");
		assert.equal(await overdue.count(), 1);
		assert.match(await overdue.textContent(), /Overdue\s+Handover of Camp Victory/);
		// Under the "Overdue by" header the cell is the time alone: never "by … ago".
		assert.match(await overdue.locator("time[data-countdown]").textContent(), /^(\d[\d,]* days? )?\d\d:\d\d:\d\d$/);
		assert.match(
			await page.locator(".slips li").first().textContent(),
			/Second phase of the withdrawal: moved from [A-Z][a-z]+ \d{4} to [A-Z][a-z]+ \d{4}, on .+ Reason: Postponed by the joint commission/,
		);
		assert.deepEqual(problems, []);
		await page.close();
	});

	it("draws the weekly chart with its labels, legend and table", async () => {
		const { page, problems } = await watchedPage(context);
		await page.goto(`${worker.base}/`);
		const chart = page.getByRole("img", { name: "Incidents per week by zone, last 12 weeks" });
		assert.equal(await chart.count(), 1);
		assert.ok((await chart.locator("rect").count()) > 20, "stacked bars are drawn");
		const labels = await chart.locator(".axis text").allTextContents();
		assert.ok(
			labels.some((t) => /^\d{1,2} [A-Z][a-z]{2}$/.test(t)),
			`week labels: ${labels}`,
		);
		const legend = await page.locator(".legend li").allTextContents();
		assert.deepEqual(legend.map((t) => t.replace(/\s*\(\d+\)$/, "").trim()).sort(), ["Hamrin mountains", "Syrian Badia", "Wadi Hauran"]);
		assert.match(legend[0], /^\s*Wadi Hauran \(\d+\)$/, "the busiest zone comes first");
		assert.equal(await page.locator("figure.chart details tbody tr").count(), 12);
		const box = await chart.boundingBox();
		assert.ok(box && box.width > 300 && box.height > 100, "the chart is laid out at a readable size");
		assert.match(await page.locator("[data-verified]").textContent(), /^\d+$/);
		assert.match(await page.locator("section[aria-labelledby=incidents] p").first().textContent(), /\d+ of \d+ verified \(\d+(\.\d)?%\)/);
		assert.deepEqual(problems, []);
		await page.close();
	});

	it("links the Atom feed as an alternate that answers with Atom", async () => {
		const { page } = await watchedPage(context);
		await page.goto(`${worker.base}/`);
		const href = await page.locator('link[rel=alternate][type="application/atom+xml"]').getAttribute("href");
		const res = await fetch(new URL(href, worker.base));
		assert.equal(res.status, 200);
		assert.match(res.headers.get("content-type"), /^application\/atom\+xml/);
		assert.match(await res.text(), /<entry>/);
		await page.close();
	});

	it("reads the same with JavaScript off and fits a phone screen", async () => {
		// JS is per context, and the persistent context has it on: a second browser, with its own fresh profile.
		const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
		try {
			const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 375, height: 740 } });
			const page = await ctx.newPage();
			await page.goto(`${worker.base}/`);
			assert.match(await page.locator("time[data-countdown]").first().textContent(), /^in \d+ (days?|hours?|minutes?)/);
			assert.equal(await page.getByRole("img", { name: /Incidents per week/ }).count(), 1);
			assert.equal(await page.locator("tr.overdue").count(), 1);
			const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
			assert.ok(overflow <= 0, `no sideways scrolling on a phone (overflow ${overflow}px)`);
		} finally {
			await browser.close();
		}
	});

	it("renders /docs' operations with every request off the Worker's origin cut off, under its CSP", async () => {
		const { page, problems } = await watchedPage(context);
		const offOrigin = [];
		// The network cut: anything not to the Worker itself (a CDN, fonts, telemetry) fails.
		await page.route("**/*", (route) => {
			if (new URL(route.request().url()).origin === worker.base) return route.continue();
			offOrigin.push(route.request().url());
			return route.abort("internetdisconnected");
		});
		const res = await page.goto(`${worker.base}/docs`);
		assert.equal(res.status(), 200);
		const csp = res.headers()["content-security-policy"];
		assert.match(csp, /script-src 'self' 'sha256-[^;]*(;|$)/);
		assert.doesNotMatch(csp, /https?:/);
		// Operations are headed by their summaries: the document was fetched from the Worker and rendered.
		const doc = await (await fetch(`${worker.base}/openapi.json`)).json();
		await page.getByRole("heading", { name: doc.paths["/healthz"].get.summary }).waitFor({ timeout: 15_000 });
		assert.equal(await page.getByRole("heading", { name: /^The state at a glance/ }).count(), 1);
		assert.deepEqual(offOrigin, []);
		// The one refusal expected: zod (inside Scalar) probes for eval with Function(""), and falls back when the CSP says no.
		assert.deepEqual(
			problems.filter((p) => p !== "console.error: CSP violation: script-src eval"),
			[],
		);
		await page.close();
	});

	it("saves a screenshot, and a small copy for the README", async () => {
		const page = await context.newPage();
		await page.setViewportSize({ width: 900, height: 900 });
		await page.goto(`${worker.base}/`);
		await mkdir("test/e2e/screenshots", { recursive: true });
		await page.screenshot({ path: SCREENSHOT, fullPage: true });
		// The README copy: the top of the page (milestones, slips, chart) at 1x, kept under 150 KB.
		const chartBottom = await page.locator("section[aria-labelledby=incidents]").evaluate((el) => el.getBoundingClientRect().bottom + window.scrollY);
		await page.screenshot({ path: README_PNG, fullPage: true, clip: { x: 0, y: 0, width: 900, height: Math.ceil(chartBottom + 8) } });
		const { size } = await stat(README_PNG);
		assert.ok(size < 150 * 1024, `${README_PNG} is ${size} bytes`);
		if (process.env.E2E_UPDATE_DOCS === "1") {
			await mkdir("docs", { recursive: true });
			await copyFile(README_PNG, DOCS_PNG);
		}
		await page.close();
	});
});
