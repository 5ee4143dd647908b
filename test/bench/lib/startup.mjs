// The Worker's startup CPU time, as `wrangler check startup` measures it: workerd loads the
// bundle once under the inspector's profiler and writes the CPU profile of that load.
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * What a V8 CPU profile (.cpuprofile) says about the time it covers: its total (the sampled
 * time deltas), and the part not spent idle, in milliseconds.
 */
export function profileTotals(profile) {
	const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === "(idle)").map((n) => n.id));
	let totalUs = 0;
	let idleUs = 0;
	profile.samples.forEach((id, i) => {
		const delta = profile.timeDeltas[i] ?? 0;
		totalUs += delta;
		if (idle.has(id)) idleUs += delta;
	});
	return { totalMs: totalUs / 1000, activeMs: (totalUs - idleUs) / 1000, samples: profile.samples.length };
}

/**
 * Runs `wrangler check startup` on a built upload (`wrangler deploy --dry-run --outfile`) and
 * returns the totals of the profile it writes to `outfile`.
 */
export async function startupProfile(uploadPath, outfile) {
	await run("wrangler", ["check", "startup", "--worker", uploadPath, "--outfile", outfile], {
		env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" },
		maxBuffer: 16 * 1024 * 1024,
	});
	return profileTotals(JSON.parse(await readFile(outfile, "utf8")));
}
