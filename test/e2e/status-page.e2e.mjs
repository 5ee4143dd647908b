// The status page in a real browser: Debian's Chromium driven by playwright-core, against the
// Worker under `wrangler dev --local`. Run with `npm run test:e2e` (see .ci/e2e.sh).
import assert from "node:assert/strict";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { createRequire } from "node:module";
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
// The Arabic page's copy, beside the English one (E2E_UPDATE_DOCS=1 as well).
const README_AR_PNG = "test/e2e/screenshots/status-page-ar-readme.png";
const DOCS_AR_PNG = "docs/status-page-ar.png";
const AXE_SOURCE = await readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
// Where `wrangler dev` writes the parts of each message sent through the EMAIL binding
// (.wrangler/tmp/email/<session>/email-text/<id>.txt), as its log says at info level.
const MAIL_DIR = ".wrangler/tmp/email";
const DAY = 86_400_000;
const WEEK = 7 * DAY;

let worker;
let context;
let profile;
/** A second browser, for contexts with other options than the persistent one (JavaScript off, CSP bypassed). */
let browser;
/** The situation pages made through the API: one in English, one in Arabic. */
const pages = {};

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

async function apiGet(path) {
	const res = await fetch(`${worker.base}${path}`, { headers: { authorization: `Bearer ${worker.adminToken}` } });
	assert.equal(res.status, 200, `${path}: ${await res.clone().text()}`);
	return res.json();
}

/** Every text part `wrangler dev` has written for the mail sent so far. */
async function mailTexts() {
	const entries = await readdir(MAIL_DIR, { recursive: true }).catch(() => []);
	return new Set(entries.filter((f) => /(^|\/)email-text\/[^/]+\.txt$/.test(f)).map((f) => join(MAIL_DIR, f)));
}

/** The /confirm/<token> link of the one message sent after `before` (a set from mailTexts()). */
async function confirmationLink(before) {
	const deadline = Date.now() + 15_000;
	for (;;) {
		const fresh = [...(await mailTexts())].filter((f) => !before.has(f));
		if (fresh.length > 0) {
			assert.equal(fresh.length, 1, `one message: ${fresh}`);
			const text = await readFile(fresh[0], "utf8");
			const url = text.match(/https?:\/\/\S+\/confirm\/\S+/)?.[0];
			assert.ok(url, `a confirmation link in:\n${text}`);
			return url;
		}
		if (Date.now() > deadline) throw new Error(`no confirmation mail under ${MAIL_DIR} within 15 s`);
		await new Promise((r) => setTimeout(r, 200));
	}
}

/**
 * Runs axe-core on the page as it is; prints every violation, and returns the serious and
 * critical ones (the ones that fail the test) as lines.
 */
async function audit(page, name) {
	await page.addScriptTag({ content: AXE_SOURCE });
	const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ["violations"] })).violations);
	for (const v of violations) {
		const where = v.nodes.map((n) => `    ${n.target.join(" ")}: ${n.failureSummary?.split("\n").slice(1).join("; ")}`).join("\n");
		console.log(`axe ${name}: [${v.impact}] ${v.id}: ${v.help} (${v.nodes.length})\n${where}`);
	}
	return violations
		.filter((v) => v.impact === "serious" || v.impact === "critical")
		.map((v) => `${name}: ${v.id} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
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

	// [slug, name, admin1, incidents per week, the outline's [west, south, east, north] (none: not drawn), a point in it]
	const zones = [
		["wadi-hauran", "Wadi Hauran", "Al Anbar", [2, 3, 1, 4, 2, 5, 3, 6, 4, 7, 5, 3], [39.5, 33, 41.5, 34], [40.5, 33.5]],
		["hamrin", "Hamrin mountains", "Diyala", [1, 0, 2, 1, 3, 2, 2, 1, 4, 3, 2, 1], [44, 34, 45, 35], [44.5, 34.5]],
		["syrian-badia", "Syrian Badia", "Homs", [0, 1, 1, 0, 2, 1, 3, 2, 1, 2, 4, 2], null, [38.5, 34.6]],
	];
	const box = ([w, s, e, n]) =>
		JSON.stringify({
			type: "Polygon",
			coordinates: [
				[
					[w, s],
					[e, s],
					[e, n],
					[w, n],
					[w, s],
				],
			],
		});
	const statements = [
		`INSERT INTO sources (slug, name, secret_enc) VALUES ('acled-feed', 'ACLED feed', 'e2e-not-a-secret');`,
		...zones.map(
			([slug, name, admin1, , outline]) =>
				`INSERT INTO zones (slug, name, country, admin1, polygon) VALUES (${sqlText(slug)}, ${sqlText(name)}, 'Iraq', ${sqlText(admin1)}, ${outline ? sqlText(box(outline)) : "NULL"});`,
		),
		// PATCH's slip path is the milestones engineer's; the page only reads the revision it leaves.
		`INSERT INTO milestone_revisions (milestone_id, old_due, new_due, old_due_at, new_due_at, reason, created_at) VALUES (${slipped.id}, ${sqlText(ym(now + 200 * DAY))}, ${sqlText(slipped.due)}, ${Date.parse(slipped.due_at) - 200 * DAY}, ${Date.parse(slipped.due_at)}, 'Postponed by the joint commission', ${now - 2 * DAY});`,
		`UPDATE milestones SET slip_count = 1 WHERE id = ${slipped.id};`,
	];
	let n = 0;
	for (const [slug, , , counts, , [lon, lat]] of zones) {
		counts.forEach((count, i) => {
			const weeksAgo = counts.length - 1 - i;
			for (let k = 0; k < count; k++) {
				const at = Math.min(now - 3_600_000, now - weeksAgo * WEEK - k * 9 * 3_600_000);
				const verification = n % 4 === 3 ? "unverified" : "verified";
				statements.push(
					`INSERT INTO incidents (source_id, external_id, event_date, occurred_precision, occurred_at, reported_at, updated_at, event_type, location, latitude, longitude, zone_id, verification, fatalities) ` +
						`SELECT s.id, 'e2e-${n++}', ${sqlText(ymd(at))}, 'day', ${at}, ${at}, ${at}, 'Battles', 'near ${slug}', ${lat + (k % 3) * 0.1}, ${lon + (k % 4) * 0.1}, z.id, '${verification}', ${k % 3} FROM sources s, zones z WHERE s.slug = 'acled-feed' AND z.slug = ${sqlText(slug)};`,
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
	browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
	pages.en = await api("/api/pages", {
		slug: "withdrawal-en",
		title: "Iraq after the withdrawal",
		description: "The coalition's departure and the incidents around it.",
		tags: ["withdrawal"],
		zones: ["wadi-hauran", "hamrin"],
	});
	pages.ar = await api("/api/pages", {
		slug: "withdrawal-ar",
		title: "العراق بعد الانسحاب",
		description: "رحيل التحالف والحوادث من حوله.",
		language: "ar",
		zones: ["wadi-hauran", "hamrin", "syrian-badia"],
	});
});

after(async () => {
	await browser?.close();
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
		const legend = await page.locator("figure.chart .legend li").allTextContents();
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
		// Two on /: the incidents' feed and the milestones' outcomes.
		const hrefs = await page.locator('link[rel=alternate][type="application/atom+xml"]').evaluateAll((links) => links.map((l) => l.getAttribute("href")));
		assert.deepEqual(hrefs.sort(), ["/feeds/incidents.atom", "/feeds/milestones.atom"]);
		for (const href of hrefs) {
			const res = await fetch(new URL(href, worker.base));
			assert.equal(res.status, 200);
			assert.match(res.headers.get("content-type"), /^application\/atom\+xml/);
			assert.match(await res.text(), href.includes("incidents") ? /<entry>/ : /<feed\b/, href);
		}
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
		// The README copy: the top of the page (milestones, slips, the map and the chart) at 1x, kept
		// under 250 KB (150 KB before the map was drawn).
		const chartBottom = await page.locator("section[aria-labelledby=incidents]").evaluate((el) => el.getBoundingClientRect().bottom + window.scrollY);
		await page.screenshot({ path: README_PNG, fullPage: true, clip: { x: 0, y: 0, width: 900, height: Math.ceil(chartBottom + 8) } });
		const { size } = await stat(README_PNG);
		assert.ok(size < 250 * 1024, `${README_PNG} is ${size} bytes`);
		if (process.env.E2E_UPDATE_DOCS === "1") {
			await mkdir("docs", { recursive: true });
			await copyFile(README_PNG, DOCS_PNG);
		}
		await page.close();
	});
});

describe("a situation page and its subscribe flow, JavaScript off", () => {
	it("subscribes by the form, the mailed link's button, and lands with the page's filters", async () => {
		const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 375, height: 740 } });
		try {
			const page = await ctx.newPage();
			const res = await page.goto(`${worker.base}/p/${pages.en.slug}`);
			assert.equal(res.status(), 200);
			assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), pages.en.title);
			assert.equal(await page.locator("tr.overdue").count(), 0, "the page shows only its tag's milestones (the overdue one has none)");

			const email = `desk-${Date.now()}@example.org`;
			const mailBefore = await mailTexts();
			await page.getByLabel("Email address").fill(email);
			await page.getByRole("button", { name: "Subscribe" }).click();
			await page.waitForURL(`${worker.base}/p/${pages.en.slug}/subscribe`);
			assert.match(await page.getByRole("status").textContent(), /^Check your inbox: if this address can be subscribed/);
			assert.doesNotMatch(await page.content(), new RegExp(email.replace(/[.]/g, "\\.")), "the answer does not say which address");

			const link = await confirmationLink(mailBefore);
			assert.equal(new URL(link).origin, worker.base);
			await page.goto(link);
			assert.match(await page.locator("form p").textContent(), new RegExp(`"${pages.en.title}" to ${email.replace(/[.]/g, "\\.")}\\?$`));
			const listed = async () => (await apiGet("/api/subscribers?limit=100")).items.filter((s) => s.email === email);
			assert.deepEqual(await listed(), [], "GET shows a button; it does not confirm");

			await page.getByRole("button", { name: "Confirm" }).click();
			await page.waitForLoadState();
			assert.match(await page.getByRole("status").textContent(), /is subscribed to "Iraq after the withdrawal"/);
			const [subscriber] = await listed();
			assert.ok(subscriber, "POST confirmed: the address is a subscriber");
			assert.deepEqual(
				{ zones: subscriber.zones, tags: subscriber.tags, language: subscriber.language, consent: subscriber.consent_source },
				{ zones: pages.en.zones, tags: pages.en.tags, language: "en", consent: "page_double_opt_in" },
			);
		} finally {
			await ctx.close();
		}
	});
});

describe("accessibility (axe-core) and the Arabic page", () => {
	let ctx;
	before(async () => {
		// bypassCSP for this context only: the pages' script-src is nonce-only, so axe-core's injected
		// source would be refused. The other contexts keep the CSP, and check it is kept.
		ctx = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 }, locale: "en-GB" });
	});
	after(async () => ctx?.close());

	it("finds no serious or critical violation on /, the pages, the opt-in and unsubscribe pages and /docs", async () => {
		const page = await ctx.newPage();
		const found = [];
		const open = async (path, name) => {
			const res = await page.goto(new URL(path, worker.base).href);
			assert.equal(res.status(), 200, `${name}: ${path}`);
			found.push(...(await audit(page, name)));
		};
		await open("/", "/");
		await open(`/p/${pages.en.slug}`, "page (en)");
		await open(`/p/${pages.ar.slug}`, "page (ar)");

		// The Arabic page's form, in Arabic: found by its field's name, not its English label.
		const mailBefore = await mailTexts();
		await page.locator('form.subscribe input[name="email"]').fill(`audit-${Date.now()}@example.org`);
		await page.locator('form.subscribe button[type="submit"]').click();
		await page.getByRole("status").waitFor();
		found.push(...(await audit(page, "subscribe answer")));
		await open(await confirmationLink(mailBefore), "confirm (GET)");

		const subscriber = await api("/api/subscribers", { email: `unsub-${Date.now()}@example.org` });
		await open(subscriber.unsubscribe_url, "unsubscribe (GET)");

		await page.goto(`${worker.base}/docs`);
		const doc = await (await fetch(`${worker.base}/openapi.json`)).json();
		await page.getByRole("heading", { name: doc.paths["/healthz"].get.summary }).waitFor({ timeout: 15_000 });
		found.push(...(await audit(page, "/docs")));
		await page.close();
		assert.deepEqual(found, []);
	});

	it("lays the Arabic page out right to left, fits 375 px, names its map, and saves screenshots", async () => {
		await mkdir("test/e2e/screenshots", { recursive: true });
		const page = await ctx.newPage();
		for (const width of [375, 1280]) {
			await page.setViewportSize({ width, height: 900 });
			await page.goto(`${worker.base}/p/${pages.ar.slug}`);
			assert.equal(await page.evaluate(() => document.documentElement.dir), "rtl");
			assert.match(await page.evaluate(() => document.documentElement.lang), /^ar\b/);
			const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
			if (width === 375) assert.ok(overflow <= 0, `no sideways scrolling at 375 px (overflow ${overflow}px)`);
			const map = page.locator("svg[data-map]");
			assert.equal(await map.count(), 1, "the map is drawn");
			const name = await map.evaluate((svg) =>
				(svg.getAttribute("aria-labelledby") ?? "")
					.split(/\s+/)
					.map((id) => document.getElementById(id)?.textContent?.trim() ?? "")
					.join(" ")
					.trim(),
			);
			assert.ok(name.length > 0, "the map's aria-labelledby resolves to text");
			await page.screenshot({ path: `test/e2e/screenshots/status-page-ar-${width}.png`, fullPage: true });
			await page.locator("figure.map").screenshot({ path: `test/e2e/screenshots/map-ar-${width}.png` });
		}
		// The README copy: the top of the page at 1280 (heading, milestones, the incidents and the map).
		const mapBottom = await page.locator("figure.map").evaluate((el) => el.getBoundingClientRect().bottom + window.scrollY);
		await page.screenshot({ path: README_AR_PNG, fullPage: true, clip: { x: 0, y: 0, width: 1280, height: Math.ceil(mapBottom + 8) } });
		const { size } = await stat(README_AR_PNG);
		assert.ok(size < 250 * 1024, `${README_AR_PNG} is ${size} bytes`);
		if (process.env.E2E_UPDATE_DOCS === "1") await copyFile(README_AR_PNG, DOCS_AR_PNG);
		await page.close();
	});
});
