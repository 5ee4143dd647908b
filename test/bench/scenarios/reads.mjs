// Reads as data grows: GET /status, the status page (with its map) and a filtered GET
// /api/incidents page on a 1k-incident and a 100k-incident instance, sampled alternately so
// machine noise lands on both alike; the throughput of /status and / against hello-world, and of
// 20 situation pages (/p/:slug in turn) against /status.
import { measure } from "../lib/load.mjs";
import { adminHeaders, routeExists } from "../lib/probe.mjs";
import { figure, info, unavailable } from "../lib/report.mjs";

// The seed never puts a Battles incident in zone 3 (n % 6 == 0 and n % 10 == 3 cannot both hold):
// the worst case for a filtered page, which must find out that nothing matches.
export const INCIDENTS_QUERY = "/api/incidents?zone=bench-zone-3&event_type=Battles&limit=50";
// A type zone 3 does have (n % 30 == 13: 33 rows at 1k, 3,333 at 100k): a full page of 20 on both.
const FULL_PAGE_QUERY = "/api/incidents?zone=bench-zone-3&event_type=Explosions%2FRemote%20violence&limit=20";
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const WARM = 20;

// Paired p50s measure the work of answering, so they ask for a fresh answer (no status reuse).
export async function timedGet(server, path) {
	const t = performance.now();
	const res = await server.fetch(path, { headers: { "cache-control": "no-cache" } });
	await res.arrayBuffer();
	if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}`);
	return performance.now() - t;
}

const PAGES = 20;

/** `PAGES` public situation pages made through the API, each with its own tag (on a milestone made for it) and two zones; their slugs. */
async function createPages(server) {
	const post = async (path, json) => {
		const res = await server.fetch(path, { method: "POST", headers: { ...adminHeaders, "content-type": "application/json" }, body: JSON.stringify(json) });
		if (res.status !== 201) throw new Error(`POST ${path} answered ${res.status}: ${await res.text()}`);
		return res.json();
	};
	const slugs = [];
	for (let i = 0; i < PAGES; i++) {
		await post("/api/milestones", { slug: `bench-m-${i}`, title: `Bench milestone ${i}`, due: "2040-06", tags: [`bench-tag-${i}`] });
		const zones = [`bench-zone-${i % 10}`, `bench-zone-${(i + 3 + Math.floor(i / 10)) % 10}`];
		slugs.push((await post("/api/pages", { slug: `bench-page-${i}`, title: `Bench page ${i}`, tags: [`bench-tag-${i}`], zones })).slug);
	}
	return slugs;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** p50 of sequential requests to `path` on each server (`largePath` on the large one), alternating small and large, in ms. */
export async function pairedP50(small, large, path, largePath = path) {
	for (let i = 0; i < WARM; i++) await Promise.all([timedGet(small, path), timedGet(large, largePath)]);
	const a = [];
	const b = [];
	for (let i = 0; i < SAMPLES; i++) {
		a.push(await timedGet(small, path));
		b.push(await timedGet(large, largePath));
	}
	return { small: median(a), large: median(b) };
}

/** The read figures: 100k against 1k (p50), /status against hello-world (throughput). */
export async function readScenarios({ small, large, hello }) {
	const status = await (await large.fetch("/status")).json();
	const counted = status.incidents?.last_7d ?? null;
	const warn = counted === 0 ? "this build's /status does not count incidents (zeros with 100k seeded), so the ratio says nothing about incidents" : undefined;
	const statusP50 = await pairedP50(small, large, "/status");
	const rows = [
		figure(
			"GET /status 100k vs 1k",
			"p50 ratio",
			statusP50.large / statusP50.small,
			{ max: 1.5 },
			{ p50_1k_ms: statusP50.small, p50_100k_ms: statusP50.large, last_7d_at_100k: counted, warn },
		),
	];

	const helloRun = await measure(hello.url, { path: "/" });
	const statusRun = await measure(large.url, { path: "/status" });
	// One `SELECT 1` through the same stack: the ceiling for any route that touches D1 here.
	const healthRun = await measure(large.url, { path: "/healthz" });
	rows.push(
		figure("GET /status at 100k", "throughput vs hello-world", statusRun.rps / helloRun.rps, { min: 0.5 }, { hello: helloRun, status: statusRun, warn }),
	);
	rows.push(info("GET /healthz (1 D1 query)", "throughput vs hello-world", healthRun.rps / helloRun.rps, { hello: helloRun, healthz: healthRun }));

	// The status page with its map: at 1k the week's ~80 incidents are drawn as points, at 100k
	// (~8,000, over the map's cap) as per-zone counts; either way one LIMITed read of them.
	const pageBytes = async (server) => (await (await server.fetch("/", { headers: { "cache-control": "no-cache" } })).arrayBuffer()).byteLength;
	const bytes = { bytes_1k: await pageBytes(small), bytes_100k: await pageBytes(large) };
	const pageP50 = await pairedP50(small, large, "/");
	rows.push(
		figure(
			"GET / (page with map) 100k vs 1k",
			"p50 ratio (fresh, `no-cache`)",
			pageP50.large / pageP50.small,
			{ max: 1.5 },
			{
				p50_1k_ms: pageP50.small,
				p50_100k_ms: pageP50.large,
				...bytes,
			},
		),
	);
	const pageRun = await measure(large.url, { path: "/" });
	rows.push(figure("GET / (page with map) at 100k", "throughput vs hello-world", pageRun.rps / helloRun.rps, { min: 0.5 }, { hello: helloRun, page: pageRun }));

	// Situation pages: the load turns over 20 pages (20 scopes, each its own data and HTML) against
	// /status measured just before, in this run.
	if (!(await routeExists(large, "GET", "/api/pages"))) {
		rows.push(unavailable("GET /p/:slug at 100k (20 pages)", "throughput vs /status", ">= 0.5", "GET /api/pages answers 404 (pages not merged)"));
	} else {
		const slugs = await createPages(large);
		const statusAgain = await measure(large.url, { path: "/status" });
		const pagesRun = await measure(large.url, { request: (i) => ({ path: `/p/${slugs[i % slugs.length]}` }) });
		rows.push(
			figure(
				"GET /p/:slug at 100k (20 pages)",
				"throughput vs /status",
				pagesRun.rps / statusAgain.rps,
				{ min: 0.5 },
				{ status: statusAgain, pages: pagesRun, slugs },
			),
		);
	}

	if (!(await routeExists(large, "GET", INCIDENTS_QUERY))) {
		rows.push(unavailable("GET /api/incidents filtered", "p50 100k vs 1k", "<= 1.5", `GET ${INCIDENTS_QUERY} answers 404 (intake not merged)`));
	} else {
		const p = await pairedP50(small, large, INCIDENTS_QUERY);
		rows.push(
			figure(
				"GET /api/incidents filtered",
				"p50 100k vs 1k",
				p.large / p.small,
				{ max: 1.5 },
				{ query: INCIDENTS_QUERY, p50_1k_ms: p.small, p50_100k_ms: p.large },
			),
		);
		const full = await pairedP50(small, large, FULL_PAGE_QUERY);
		rows.push(
			info("GET /api/incidents full page", "p50 100k vs 1k", full.large / full.small, {
				query: FULL_PAGE_QUERY,
				p50_1k_ms: full.small,
				p50_100k_ms: full.large,
			}),
		);
	}
	return rows;
}
