// Flat at a million incidents (issue 16): a 1M-incident instance against a 1k one (and a 100k one for
// the export's rate), all seeded alike in this run, and the sweep with 100k milestones against 100.
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { peakDuring } from "../lib/memory.mjs";
import { figure, info } from "../lib/report.mjs";
import { seedIncidentsJson, seedReferenceRows } from "../lib/seed.mjs";
import { consume } from "./export.mjs";
import { pairedP50, timedGet } from "./reads.mjs";
import { sweepScenarios } from "./sweep.mjs";

const MILLION = Number(process.env.BENCH_SCALE_INCIDENTS ?? 1_000_000);
const DEEP_PAGE = 1_000;
const LIMIT_MIB = 64;
const TEN_GB = 10e9; // D1's cap per database, in decimal bytes as Cloudflare states it
const DAY = 86_400_000;

/** The filtered lists: zone 3, a type, occurred between 80 and 1 days ago (the seed spans 90). */
function filteredPaths(now) {
	const window = `since=${new Date(now - 80 * DAY).toISOString()}&until=${new Date(now - DAY).toISOString()}`;
	return {
		// n % 30 == 13: ~29 rows in the window at 1k, ~29,000 at 1M: a full page of 20 on both.
		full: `/api/incidents?zone=bench-zone-3&event_type=Explosions%2FRemote%20violence&${window}&limit=20`,
		// The seed never puts a Battles incident in zone 3 (n % 6 == 0 and n % 10 == 3 cannot both hold).
		none: `/api/incidents?zone=bench-zone-3&event_type=Battles&${window}&limit=20`,
	};
}

/**
 * A stopped instance's D1 file, read with Node's SQLite (D1 refuses PRAGMA page_count): its bytes
 * after a WAL checkpoint, and the bytes of the incidents table and of each of its indexes (dbstat).
 */
async function d1Bytes(stateDir) {
	const dir = join(stateDir, "d1", "miniflare-D1DatabaseObject");
	const [file] = (await readdir(dir)).filter((f) => f.endsWith(".sqlite") && !f.startsWith("metadata"));
	const db = new DatabaseSync(join(dir, file));
	try {
		db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
		const { bytes } = db.prepare("SELECT page_count * page_size AS bytes FROM pragma_page_count, pragma_page_size").get();
		const parts = db
			.prepare(
				"SELECT name, sum(pgsize) AS bytes FROM dbstat WHERE name = 'incidents' OR name IN (SELECT name FROM sqlite_schema WHERE tbl_name = 'incidents') GROUP BY name ORDER BY 2 DESC",
			)
			.all();
		return { bytes, incidents: Object.fromEntries(parts.map((p) => [p.name, p.bytes])) };
	} finally {
		db.close();
	}
}

/** Follows next_cursor from the first page to the `page`-th; answers that page's path. */
async function pathOfPage(server, first, page) {
	let path = first;
	for (let i = 1; i < page; i++) {
		const res = await server.fetch(path);
		const body = await res.json();
		if (res.status !== 200 || !body.next_cursor) throw new Error(`page ${i} of ${first} answered ${res.status} with no next cursor`);
		path = `${first}&cursor=${body.next_cursor}`;
	}
	return path;
}

/** Seeds the three instances; answers the 1M seeding's rate. */
async function seedAll({ small, medium, large, log }) {
	const now = Date.now();
	for (const [server, to] of [
		[small, 1_000],
		[medium, 100_000],
	]) {
		await seedIncidentsJson(server.db, { from: 0, to, ...(await seedReferenceRows(server.db, now)), now });
	}
	log(`seeding ${MILLION} incidents (one JSON parameter of 500 rows a statement, 10 statements a batch)`);
	const seed = await seedIncidentsJson(large.db, { from: 0, to: MILLION, ...(await seedReferenceRows(large.db, now)), now });
	log(
		`${seed.total} incidents in ${seed.insertSeconds.toFixed(1)} s (${Math.round(seed.rowsPerSecond)} rows/s), ${seed.allSeconds.toFixed(1)} s with the hourly rebuild and ANALYZE`,
	);
	return { now, seed };
}

/** Bytes per incident: what 1M incidents take beyond 1k, everything else alike; and how many fit in 10 GB. */
async function sizeRows(small, large, seeded) {
	const [s, l] = [await d1Bytes(small), await d1Bytes(large)];
	const perIncident = (l.bytes - s.bytes) / (seeded - 1_000);
	return [
		info("scale size", "D1 bytes per incident (with indexes)", perIncident, { d1_1k: s, d1_1m: l }),
		info("scale size", "incidents in 10 GB (millions)", TEN_GB / perIncident / 1e6, { per_incident_bytes: perIncident, limit_bytes: TEN_GB }),
	];
}

/** Every figure of the scale scenario; `start(name, code)` serves a Worker, `stateDirOf(server)` finds its D1. */
export async function scaleScenarios({ start, vigilCode, startCounting, stateDirOf, log }) {
	const rows = [];
	let seeded = null;
	const small = await start("scale-1k", vigilCode);
	const medium = await start("scale-100k", vigilCode);
	const large = await start("scale-1m", vigilCode);
	try {
		const { now, seed } = await seedAll({ small, medium, large, log });
		seeded = seed.total;
		rows.push(info("scale seed", "rows/s into D1 (JSON parameter batches)", seed.rowsPerSecond, seed));

		log("GET /status and filtered lists, 1M vs 1k");
		const status = await pairedP50(small, large, "/status");
		rows.push(figure("GET /status 1M vs 1k", "p50 ratio (fresh, no-cache)", status.large / status.small, { max: 1.5 }, status));
		const paths = filteredPaths(now);
		for (const [kind, path] of Object.entries(paths)) {
			const p = await pairedP50(small, large, path);
			rows.push(
				figure(
					`GET /api/incidents ${kind === "full" ? "full page" : "no match"}`,
					"p50 1M vs 1k (zone+type+window)",
					p.large / p.small,
					{ max: 1.5 },
					{ path, ...p },
				),
			);
		}

		log(`GET /api/incidents: walking to page ${DEEP_PAGE} by cursor on 1M`);
		const first = "/api/incidents?limit=50";
		const deep = await pathOfPage(large, first, DEEP_PAGE);
		const pages = await pairedP50(large, large, first, deep);
		rows.push(
			figure(
				"GET /api/incidents deep page",
				`page ${DEEP_PAGE} vs page 1, p50 at 1M`,
				pages.large / pages.small,
				{ max: 1.5 },
				{ first_ms: pages.small, deep_ms: pages.large, deep },
			),
		);

		log("exports of 1M, sampling workerd RSS; CSV of 100k before and after for the rate");
		if (!large.pid) throw new Error("the workerd process was not found; cannot measure memory");
		await timedGet(medium, "/api/incidents?limit=1");
		const before100k = await consume(medium, "/api/incidents.csv");
		const csv = await peakDuring(large.pid, () => consume(large, "/api/incidents.csv"));
		const after100k = await consume(medium, "/api/incidents.csv");
		const geo = await peakDuring(large.pid, () => consume(large, "/api/incidents.geojson"));
		for (const [name, m] of [
			["export CSV 1M", csv],
			["export GEOJSON 1M", geo],
		]) {
			const detail = { rss_before_mib: m.beforeMiB, rss_peak_mib: m.peakMiB, hwm_reset: m.hwmReset, ...m.result };
			rows.push(figure(name, "workerd peak RSS growth (MiB)", m.growthMiB, { below: LIMIT_MIB }, detail));
		}
		const rate = (r) => (r.lines - 1) / (r.totalMs / 1000);
		const rate100k = (rate(before100k) + rate(after100k)) / 2;
		rows.push(
			figure(
				"export CSV 1M vs 100k",
				"rows/s ratio",
				rate(csv.result) / rate100k,
				{ min: 0.8 },
				{
					rows_per_s_1m: rate(csv.result),
					rows_per_s_100k: [rate(before100k), rate(after100k)],
					seconds_1m: csv.result.totalMs / 1000,
				},
			),
		);
	} finally {
		await Promise.all([small, medium, large].map((s) => s.dispose()));
	}
	if (seeded !== null) rows.push(...(await sizeRows(stateDirOf(small), stateDirOf(large), seeded)));

	log("sweep: 100k vs 100 milestones, 1k subscribers");
	rows.push(...(await sweepScenarios({ startCounting, idleCount: 99_900, size: "100k", scenario: "sweep-100k" })));
	return rows;
}
