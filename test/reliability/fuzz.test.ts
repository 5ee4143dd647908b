// Thousands of hostile requests to every write endpoint (FUZZ_RUNS each for a deeper run): never
// a 5xx, always a well-formed problem+json, and not one row written (storage is shared in this
// file, so compare deltas).
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import worker from "../../worker/index";
import { call } from "../support/http";
import { createSource, deliver, envelope, incident, signedHeaders } from "../support/intake";
import { fuzzRuns, fuzzSeed, timeoutFor } from "../support/runs";
import { createZone } from "../support/zones";
import {
	authorization,
	contentType,
	extraHeaders,
	hostileBody,
	hostileListQuery,
	hostileString,
	impossibleDate,
	queryString,
	withLoneSurrogate,
	withProtoKey,
} from "./hostile";
import { makeMilestone } from "./routes";

const MILESTONE_FIELDS = ["title", "due", "kind", "timezone", "slug", "description", "tags", "alert_offsets", "source_url", "status", "reason"] as const;
const ZONE_FIELDS = ["slug", "name", "country", "admin1", "description", "polygon"] as const;
const SUBSCRIBER_FIELDS = ["email", "name", "zones", "tags", "digest", "paused", "resubscribe"] as const;
const PAGE_FIELDS = ["slug", "title", "title_i18n", "description", "language", "tags", "zones", "visibility"] as const;

/**
 * Requests per write endpoint (1,600 in all), hostile list queries, impossible dates and unkeepable
 * webhook data (450 more): enough to meet every arbitrary's shapes on each `npm test`, with a new
 * seed each run. FUZZ_RUNS sets each of the eleven to the same size for a deeper run
 * (`FUZZ_RUNS=10000`: 110,000 requests).
 */
const RUNS = {
	postMilestone: fuzzRuns(300),
	patchMilestone: fuzzRuns(300),
	deleteMilestone: fuzzRuns(150),
	postZone: fuzzRuns(250),
	patchSubscriber: fuzzRuns(150),
	patchZone: fuzzRuns(150),
	postPage: fuzzRuns(150),
	patchPage: fuzzRuns(150),
	listQueries: fuzzRuns(200),
	dateFilters: fuzzRuns(150),
	webhookData: fuzzRuns(100),
};
/** A generous bound on one request on a loaded machine: each test's timeout follows its size. */
const MS_EACH = 40;

const ADMIN_TOKEN: string = env.ADMIN_TOKEN ?? "";
if (!ADMIN_TOKEN) throw new Error("vitest.config.ts must bind ADMIN_TOKEN");

let target: { id: number; slug: string };
let subscriber: { id: number };
let zone: { id: number; slug: string };
let page: { id: number; slug: string };
beforeAll(async () => {
	target = await makeMilestone();
	const res = await call("/api/subscribers", { method: "POST", admin: true, json: { email: "fuzz-target@example.org" } });
	subscriber = (await res.json()) as { id: number };
	zone = await createZone({ slug: "fuzz-patched-zone", name: "Fuzz patched zone" });
	const created = await call("/api/pages", { method: "POST", admin: true, json: { slug: "fuzz-patched-page", title: "Fuzz patched page" } });
	page = (await created.json()) as { id: number; slug: string };
});

/** Everything a write could change, for before/after comparison. */
async function fingerprint() {
	const [counts, row, subscriberRow, pageRow] = await Promise.all([
		env.DB.prepare(
			"SELECT (SELECT count(*) FROM milestones) AS milestones, (SELECT count(*) FROM milestone_revisions) AS revisions, (SELECT count(*) FROM zones) AS zones, (SELECT total(revision) FROM zones) AS zone_revisions, (SELECT total(updated_at) FROM milestones) AS touched, (SELECT count(*) FROM subscribers) AS subscribers, (SELECT count(*) FROM pages) AS pages",
		).first(),
		env.DB.prepare("SELECT * FROM milestones WHERE id = ?").bind(target.id).first(),
		env.DB.prepare("SELECT * FROM subscribers WHERE id = ?").bind(subscriber.id).first(),
		env.DB.prepare("SELECT * FROM pages WHERE id = ?").bind(page.id).first(),
	]);
	return { counts, row, subscriberRow, pageRow };
}

interface Sent {
	method: string;
	path: string;
	headers: [string, string][];
	body: string | undefined;
}

/** Sends one request and checks the answer is a 4xx problem+json; returns the status. */
async function sendHostile(req: Sent): Promise<number> {
	const headers = new Headers();
	for (const [k, v] of req.headers) headers.set(k, v);
	const res = await call(req.path, { method: req.method, headers, body: req.body });
	const text = await res.text();
	const where = `${req.method} ${req.path} [${req.headers.map(([k, v]) => `${k}: ${v.slice(0, 40)}`).join(" | ")}] ${String(req.body).slice(0, 120)}`;
	expect(res.status, `${where} -> ${text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
	expect(res.status, `${where} -> ${text.slice(0, 300)}`).toBeLessThan(500);
	expect(res.headers.get("content-type"), where).toMatch(/^application\/problem\+json/);
	const body = JSON.parse(text) as Record<string, unknown>;
	expect(body, where).toMatchObject({
		status: res.status,
		type: expect.stringMatching(/^urn:vigil:problem:[a-z_]+$/),
		title: expect.any(String),
		detail: expect.any(String),
	});
	return res.status;
}

/** A hostile request to `method path` with a body from `body`, any headers and query string. */
function requests(method: string, path: fc.Arbitrary<string>, body: fc.Arbitrary<string | undefined>) {
	return fc
		.record({ path, query: queryString, ct: contentType, auth: authorization(ADMIN_TOKEN), extra: extraHeaders, body })
		.map(({ path, query, ct, auth, extra, body }) => {
			const headers: [string, string][] = [...extra];
			if (ct !== undefined) headers.push(["content-type", ct]);
			if (auth !== undefined) headers.push(["authorization", auth]);
			return { method, path: `${path}${query}`, headers, body } satisfies Sent;
		});
}

/** Ids that name no milestone: never all digits (ids), never a slug this file made. */
const unknownId = fc
	.oneof(hostileString, fc.constantFrom("999999999999999", "0", "-1", "1.5", "1e3", "0x1", " 1", "1 ", "%2e%2e", "null"))
	.filter((s) => !/^\d{1,15}$/.test(s) || s === "999999999999999" || s === "0");

/** An id as a path segment: percent-encoded (lone surrogates replaced), or raw bytes that break decoders. */
const idPath = fc.oneof(
	{ weight: 9, arbitrary: unknownId.map((id) => `/api/milestones/${encodeURIComponent(id.replace(/[\ud800-\udfff]/g, "\ufffd"))}`) },
	{
		weight: 1,
		arbitrary: fc.constantFrom(
			"/api/milestones/%",
			"/api/milestones/%zz",
			"/api/milestones/..%2f..%2fstatus",
			"/api/milestones/a%00b",
			"/api/milestones/%F0%9F",
		),
	},
);

async function fuzz(name: string, arb: fc.Arbitrary<Sent>, numRuns: number) {
	const before = await fingerprint();
	const statuses = new Map<number, number>();
	await fc.assert(
		fc.asyncProperty(arb, async (req) => {
			const status = await sendHostile(req);
			statuses.set(status, (statuses.get(status) ?? 0) + 1);
		}),
		{ numRuns, seed: fuzzSeed },
	);
	expect(await fingerprint(), `${name} wrote something`).toEqual(before);
	// The statuses seen, so a run that only ever hit 401 (and fuzzed nothing) is visible.
	return Object.fromEntries([...statuses].sort(([a], [b]) => a - b));
}

describe("fuzzing every write endpoint with hostile input", () => {
	it("POST /api/milestones refuses every hostile request and writes nothing", { timeout: timeoutFor(RUNS.postMilestone, MS_EACH) }, async () => {
		const seen = await fuzz(
			"POST /api/milestones",
			requests("POST", fc.constant("/api/milestones"), hostileBody(MILESTONE_FIELDS, { title: "Fuzz", due: "2031-01" })),
			RUNS.postMilestone,
		);
		expect(seen[422]).toBeGreaterThan(RUNS.postMilestone / 10);
	});

	it("PATCH /api/milestones/:id refuses every hostile request and changes nothing", { timeout: timeoutFor(RUNS.patchMilestone, MS_EACH) }, async () => {
		const path = fc.oneof({ weight: 9, arbitrary: fc.constant(`/api/milestones/${target.id}`) }, { weight: 1, arbitrary: idPath });
		const seen = await fuzz(
			"PATCH /api/milestones/:id",
			requests("PATCH", path, hostileBody(MILESTONE_FIELDS, { title: "Fuzzed title" })),
			RUNS.patchMilestone,
		);
		expect(seen[422]).toBeGreaterThan(RUNS.patchMilestone / 10);
	});

	it("DELETE /api/milestones/:id of anything but a milestone cancels nothing", { timeout: timeoutFor(RUNS.deleteMilestone, MS_EACH) }, async () => {
		const seen = await fuzz(
			"DELETE /api/milestones/:id",
			requests("DELETE", idPath, fc.option(fc.string({ maxLength: 40 }), { nil: undefined })),
			RUNS.deleteMilestone,
		);
		expect(seen[404]).toBeGreaterThan(RUNS.deleteMilestone / 10);
	});

	it("POST /api/zones refuses every hostile request and writes nothing", { timeout: timeoutFor(RUNS.postZone, MS_EACH) }, async () => {
		const seen = await fuzz(
			"POST /api/zones",
			requests("POST", fc.constant("/api/zones"), hostileBody(ZONE_FIELDS, { slug: "fuzz-zone", name: "Fuzz zone" })),
			RUNS.postZone,
		);
		expect(seen[422]).toBeGreaterThan(RUNS.postZone / 10);
	});

	it("PATCH /api/subscribers/:id refuses every hostile request and changes nothing", { timeout: timeoutFor(RUNS.patchSubscriber, MS_EACH) }, async () => {
		const unknown = idPath.map((p) => p.replace("/api/milestones/", "/api/subscribers/"));
		const path = fc.oneof({ weight: 9, arbitrary: fc.constant(`/api/subscribers/${subscriber.id}`) }, { weight: 1, arbitrary: unknown });
		const seen = await fuzz("PATCH /api/subscribers/:id", requests("PATCH", path, hostileBody(SUBSCRIBER_FIELDS, { paused: true })), RUNS.patchSubscriber);
		expect(seen[422]).toBeGreaterThan(RUNS.patchSubscriber / 10);
	});

	it("PATCH /api/zones/:id refuses every hostile request and changes nothing", { timeout: timeoutFor(RUNS.patchZone, MS_EACH) }, async () => {
		const path = fc.oneof(
			{ weight: 9, arbitrary: fc.constantFrom(`/api/zones/${zone.id}`, `/api/zones/${zone.slug}`) },
			{ weight: 1, arbitrary: idPath.map((p) => p.replace("/api/milestones/", "/api/zones/")) },
		);
		const seen = await fuzz("PATCH /api/zones/:id", requests("PATCH", path, hostileBody(ZONE_FIELDS, { name: "Fuzzed zone" })), RUNS.patchZone);
		expect(seen[422]).toBeGreaterThan(RUNS.patchZone / 10);
	});

	it("POST /api/pages refuses every hostile request and writes nothing", { timeout: timeoutFor(RUNS.postPage, MS_EACH) }, async () => {
		const seen = await fuzz(
			"POST /api/pages",
			requests("POST", fc.constant("/api/pages"), hostileBody(PAGE_FIELDS, { slug: "fuzz-page", title: "Fuzz page" })),
			RUNS.postPage,
		);
		expect(seen[422]).toBeGreaterThan(RUNS.postPage / 10);
	});

	it("PATCH /api/pages/:id refuses every hostile request and changes nothing", { timeout: timeoutFor(RUNS.patchPage, MS_EACH) }, async () => {
		const path = fc.oneof(
			{ weight: 9, arbitrary: fc.constant(`/api/pages/${page.id}`) },
			{ weight: 1, arbitrary: idPath.map((p) => p.replace("/api/milestones/", "/api/pages/")) },
		);
		const seen = await fuzz("PATCH /api/pages/:id", requests("PATCH", path, hostileBody(PAGE_FIELDS, { title: "Fuzzed page" })), RUNS.patchPage);
		expect(seen[422]).toBeGreaterThan(RUNS.patchPage / 10);
	});

	it("list endpoints answer hostile queries and cursors with a page or a 4xx problem, never a 5xx", {
		timeout: timeoutFor(RUNS.listQueries, MS_EACH),
	}, async () => {
		const paths = fc.constantFrom("/api/milestones", `/api/milestones/${target.id}/revisions`, "/api/zones", "/api/incidents", "/api/pages");
		const statuses = new Map<number, number>();
		await fc.assert(
			fc.asyncProperty(paths, fc.oneof(hostileListQuery, queryString), async (path, query) => {
				const res = await call(`${path}${query}`, { admin: true });
				const text = await res.text();
				const where = `GET ${path}${query.slice(0, 200)} -> ${res.status} ${text.slice(0, 200)}`;
				statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
				if (res.status === 200) {
					expect(JSON.parse(text), where).toMatchObject({ items: expect.any(Array) });
					return;
				}
				expect(res.status, where).toBeGreaterThanOrEqual(400);
				expect(res.status, where).toBeLessThan(500);
				expect(res.headers.get("content-type"), where).toMatch(/^application\/problem\+json/);
				expect(JSON.parse(text), where).toMatchObject({ status: res.status, type: expect.stringMatching(/^urn:vigil:problem:/) });
			}),
			{ numRuns: RUNS.listQueries, seed: fuzzSeed },
		);
		expect(statuses.get(400)).toBeGreaterThan(RUNS.listQueries / 10);
	});

	it("date filters refuse a calendar date or instant that does not exist with 400 naming the parameter, on every endpoint that takes one", {
		timeout: timeoutFor(RUNS.dateFilters, MS_EACH),
	}, async () => {
		const filters = fc.constantFrom(
			["/api/incidents", "since"],
			["/api/incidents", "until"],
			["/api/incidents.csv", "since"],
			["/api/incidents.geojson", "until"],
			["/api/milestones", "from"],
			["/api/milestones", "to"],
		);
		await fc.assert(
			fc.asyncProperty(filters, impossibleDate, async ([path, name], date) => {
				const res = await call(`${path}?${name}=${encodeURIComponent(date)}`);
				const body = (await res.json()) as { errors?: { path: string }[] };
				expect(res.status, `${path}?${name}=${date}`).toBe(400);
				expect(body.errors?.map((e) => e.path)).toEqual([`/${name}`]);
			}),
			{ numRuns: RUNS.dateFilters, seed: fuzzSeed },
		);
	});

	it("POST /webhooks/:source refuses signed messages with a lone surrogate or a __proto__ key in data, naming where, writing nothing", {
		timeout: timeoutFor(RUNS.webhookData, MS_EACH * 3),
	}, async () => {
		const source = await createSource("fuzz-src");
		const item = incident({ external_id: "fuzz-1", notes: "Quiet night", actor1: "Unknown" });
		/** One incident, alone or in a batch, made unkeepable: its text (as sent) and the JSON Pointer of the item. */
		const message = fc.tuple(fc.oneof(withLoneSurrogate(item), withProtoKey(item)), fc.boolean()).map(([data, batched]) => ({
			body: `{"type":"incident.reported","timestamp":${JSON.stringify(new Date().toISOString())},"data":${batched ? `{"incidents":[${data}]}` : data}}`,
			at: batched ? "/data/incidents/0/" : "/data/",
		}));
		await fc.assert(
			fc.asyncProperty(message, async ({ body, at }) => {
				// Without the rate limit, which a deeper run (FUZZ_RUNS) would reach.
				const request = new Request(`https://vigil.test/webhooks/${source.slug}`, {
					method: "POST",
					body,
					headers: { "content-type": "application/json", ...signedHeaders(source.secret, body) },
				});
				const ctx = createExecutionContext();
				const res = await worker.fetch(request, { ...env, WEBHOOK_LIMITER: undefined }, ctx);
				await waitOnExecutionContext(ctx);
				const text = await res.text();
				expect(res.status, `${body.slice(0, 200)} -> ${text.slice(0, 300)}`).toBe(422);
				const errors = (JSON.parse(text) as { errors: { path: string }[] }).errors;
				expect(
					errors.map((e) => e.path.startsWith(at)),
					text,
				).toEqual([true]);
			}),
			{ numRuns: RUNS.webhookData, seed: fuzzSeed },
		);
		// The same message, keepable, is taken: the refusals above were about what they carried.
		const fine = await deliver(source.slug, source.secret, envelope(item));
		expect(fine.status).toBe(202);
		const stored = await env.DB.prepare("SELECT count(*) AS n FROM incidents WHERE source_id = ?").bind(source.id).first<{ n: number }>();
		expect(stored?.n).toBe(1);
	});
});
