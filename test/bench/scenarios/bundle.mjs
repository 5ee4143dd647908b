// What the deploy bundle weighs and what loading it costs: figures to watch, not targets (the
// deploy check fails above 1 MiB gzip; the platform's own limits are higher). Startup is
// profiled several times and the median run reported, since one load is a few hundred
// milliseconds on a shared machine.
import { join } from "node:path";
import { info } from "../lib/report.mjs";
import { startupProfile } from "../lib/startup.mjs";

const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 5);

/** The bundle's gzip size from wrangler's dry-run, and the startup CPU profile's total from `wrangler check startup`. */
export async function bundleScenarios({ bundle, workDir }) {
	const runs = [];
	for (let i = 0; i < RUNS; i++) runs.push(await startupProfile(bundle.upload, join(workDir, `startup-${i}.cpuprofile`)));
	const byTotal = [...runs].sort((a, b) => a.totalMs - b.totalMs);
	const median = byTotal[Math.floor(byTotal.length / 2)];
	return [
		info("deploy bundle", "gzip KiB (wrangler)", bundle.gzipKiB, { totalKiB: bundle.totalKiB }),
		info("Worker startup", `CPU profile total, ms (median of ${RUNS})`, median.totalMs, {
			activeMs: median.activeMs,
			samples: median.samples,
			totalsMs: runs.map((r) => r.totalMs),
		}),
	];
}
