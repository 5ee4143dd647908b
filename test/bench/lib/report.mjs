// One row per figure: what was measured, against what, the target, and whether it was met.
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

/** A measured figure checked against its target (`max`, `below` or `min`). */
export function figure(scenario, name, value, target, detail = {}) {
	const [met, label] =
		target.max !== undefined
			? [value <= target.max, `<= ${target.max}`]
			: target.below !== undefined
				? [value < target.below, `< ${target.below}`]
				: [value >= target.min, `>= ${target.min}`];
	return { scenario, figure: name, value, target: label, status: met ? "pass" : "FAIL", detail };
}

/** A figure this build cannot produce (its endpoint answers 404): reported, never faked. */
export function unavailable(scenario, name, target, why) {
	return { scenario, figure: name, value: null, target, status: "n/a", detail: { reason: `not available on this build: ${why}` } };
}

/** A reference figure with no target: evidence for reading the others (never fails the run). */
export function info(scenario, name, value, detail = {}) {
	return { scenario, figure: name, value, target: "-", status: "info", detail };
}

const fmt = (v) => (v === null ? "-" : Number.isInteger(v) ? String(v) : v.toFixed(v < 10 ? 3 : 1));

/** Prints the table to stdout. */
export function printTable(rows) {
	const head = ["scenario", "figure", "value", "target", "status"];
	const cells = rows.map((r) => [r.scenario, r.figure, fmt(r.value), r.target, r.status]);
	const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
	const line = (c) => `| ${c.map((x, i) => x.padEnd(widths[i])).join(" | ")} |`;
	console.log(line(head));
	console.log(`| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`);
	for (const c of cells) console.log(line(c));
	for (const r of rows) if (r.status === "n/a") console.log(`  ${r.scenario}: ${r.detail.reason}`);
}

/** Writes every row and the run's settings to `path` (bench/results.json, git-ignored). */
export async function writeResults(path, rows, meta) {
	await mkdir(dirname(path), { recursive: true });
	await writeFile(path, `${JSON.stringify({ ...meta, rows }, null, 2)}\n`);
}
