// `npm run bench`: builds the Worker and the baselines, reports the bundle's size and startup
// CPU time, serves each with miniflare/workerd and a local D1, seeds, measures every scenario as
// a ratio to a baseline taken in this same run, prints a table, writes bench/results.json and
// exits 1 when a target is missed. BENCH_ONLY=bundle,webhook,ingest,reads,export,sweep,zones picks scenarios;
// BENCH_ONLY=scale (1M incidents, 100k milestones: ~10 minutes) runs only when named.

import { rm } from "node:fs/promises";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { buildEntry, buildVigil, readBundle } from "./lib/build.mjs";
import { CONNECTIONS, SECONDS, WARMUP_SECONDS } from "./lib/load.mjs";
import { printTable, writeResults } from "./lib/report.mjs";
import { seedIncidents, seedReferenceRows } from "./lib/seed.mjs";
import { startWorker } from "./lib/server.mjs";
import { bundleScenarios } from "./scenarios/bundle.mjs";
import { exportScenarios } from "./scenarios/export.mjs";
import { INGEST_BINDINGS, INGEST_TRIGGERS, ingestScenarios } from "./scenarios/ingest.mjs";
import { readScenarios } from "./scenarios/reads.mjs";
import { scaleScenarios } from "./scenarios/scale.mjs";
import { sweepScenarios } from "./scenarios/sweep.mjs";
import { channelSweepScenarios } from "./scenarios/sweep-channels.mjs";
import { webhookScenarios } from "./scenarios/webhook.mjs";
import { zoneScenarios } from "./scenarios/zones.mjs";

const work = join(tmpdir(), `vigil-bench-${process.pid}`);
const only = process.env.BENCH_ONLY?.split(",");
const wants = (name) => !only || only.includes(name);
// The million-incident scenario takes minutes more than all the others together: asked for by name only.
const wantsScale = only?.includes("scale") ?? false;
const log = (msg) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);
const servers = [];

async function start(name, code, opts = {}) {
	const server = await startWorker({ name, code, stateDir: join(work, name), ...opts });
	servers.push(server);
	return server;
}

async function main() {
	const rows = [];
	log("building the Worker with wrangler deploy --dry-run");
	const bundle = await buildVigil(join(work, "dist"));
	if (wants("bundle")) {
		log("startup: wrangler check startup on the deploy bundle");
		rows.push(...(await bundleScenarios({ bundle, workDir: work })));
	}
	if (!["webhook", "ingest", "reads", "export", "sweep", "zones"].some(wants) && !wantsScale) return report(rows);

	log("building the baselines with esbuild");
	const here = new URL(".", import.meta.url).pathname;
	const [vigilCode, helloCode, insertCode, countingCode] = await Promise.all([
		readBundle(bundle.path),
		buildEntry(join(here, "baselines/hello.ts"), join(work, "hello.js")).then((b) => readBundle(b.path)),
		buildEntry(join(here, "baselines/insert.ts"), join(work, "insert.js")).then((b) => readBundle(b.path)),
		buildEntry(join(here, "baselines/counting.ts"), join(work, "counting.js")).then((b) => readBundle(b.path)),
	]);

	if (wants("webhook")) {
		log("ingest: signed webhooks vs the bare drizzle insert");
		const [ingest, insert] = await Promise.all([start("vigil-ingest", vigilCode), start("baseline-insert", insertCode)]);
		const { sourceId } = await seedReferenceRows(insert.db, Date.now());
		rows.push(...(await webhookScenarios({ vigil: ingest, insert, insertSourceId: sourceId })));
		await Promise.all([ingest.dispose(), insert.dispose()]);
	}

	if (wants("ingest")) {
		log("ingest: queued webhooks vs hello-world, then 5x the direct path's rate until D1 has them all");
		const queued = await start("vigil-queued", vigilCode, { bindings: INGEST_BINDINGS, triggers: INGEST_TRIGGERS });
		const [direct, hello] = await Promise.all([start("vigil-direct", vigilCode), start("baseline-hello", helloCode, { migrate: false })]);
		rows.push(...(await ingestScenarios({ queued, direct, hello })));
		await Promise.all([queued, direct, hello].map((s) => s.dispose()));
	}

	if (wants("reads") || wants("export")) {
		const small = await start("vigil-1k", vigilCode);
		const large = await start("vigil-100k", vigilCode);
		const hello = await start("baseline-hello", helloCode, { migrate: false });
		const now = Date.now();
		log("seeding 1k and 100k incidents");
		await seedIncidents(small.db, { from: 0, to: 1_000, ...(await seedReferenceRows(small.db, now)), now });
		const total = await seedIncidents(large.db, { from: 0, to: 100_000, ...(await seedReferenceRows(large.db, now)), now });
		log(`${total} incidents in the large D1`);
		if (wants("reads")) rows.push(...(await readScenarios({ small, large, hello })));
		if (wants("export")) {
			log("exports of 100k incidents, sampling workerd RSS");
			rows.push(...(await exportScenarios({ vigil: large })));
		}
		await Promise.all([small, large, hello].map((s) => s.dispose()));
	}

	if (wants("sweep")) {
		log("sweep: 10k vs 100 milestones, 1k subscribers");
		const startCounting = (name) => startWorker({ name, code: countingCode, stateDir: join(work, name) });
		rows.push(...(await sweepScenarios({ startCounting })));
		log("sweep: 1k webhook channels and 1k due alerts vs 10 and 10, drained");
		rows.push(...(await channelSweepScenarios({ startCounting })));
	}

	if (wants("zones")) {
		log("zones: drawing a zone over 1k and 20k unzoned incidents");
		rows.push(...(await zoneScenarios({ start, vigilCode })));
	}
	if (wantsScale) {
		log("scale: 1M incidents against 1k (and 100k), 100k milestones against 100");
		const startCounting = (name) => startWorker({ name, code: countingCode, stateDir: join(work, name) });
		const started = performance.now();
		rows.push(...(await scaleScenarios({ start, vigilCode, startCounting, stateDirOf: (s) => join(work, s.name), log })));
		log(`scale took ${((performance.now() - started) / 60_000).toFixed(1)} min`);
	}
	return report(rows);
}

/** Prints the table, writes bench/results.json, and answers the exit code. */
async function report(rows) {
	printTable(rows);
	const meta = {
		date: new Date().toISOString(),
		node: process.version,
		cpus: cpus().length,
		memGiB: Math.round(totalmem() / 2 ** 30),
		seconds: SECONDS,
		warmup: WARMUP_SECONDS,
		connections: CONNECTIONS,
	};
	await writeResults("bench/results.json", rows, meta);
	log("wrote bench/results.json");
	return rows.some((r) => r.status === "FAIL") ? 1 : 0;
}

let code = 1;
try {
	code = await main();
} catch (e) {
	// D1 errors quote the whole statement: keep the message readable.
	const text = e instanceof Error ? `${e.message}\n${e.stack ?? ""}` : String(e);
	console.error(text.length > 2000 ? `${text.slice(0, 2000)}…` : text);
} finally {
	await Promise.allSettled(servers.map((s) => s.dispose()));
	// The D1 files of 100k-row instances are large; results.json keeps what matters.
	await rm(work, { recursive: true, force: true });
}
process.exit(code);
