// Builds what the bench serves: the Worker exactly as `wrangler deploy` would upload it, and
// the baselines and the query-counting entry with esbuild (same target, same workerd).
import { execFile } from "node:child_process";
import { mkdir, readdir, readFile } from "node:fs/promises";
import { builtinModules } from "node:module";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { build } from "esbuild";

const run = promisify(execFile);

/**
 * `wrangler deploy --dry-run`: the deploy bundle, the upload wrangler would send (for `wrangler
 * check startup`), and the sizes wrangler prints.
 */
export async function buildVigil(outdir) {
	await mkdir(outdir, { recursive: true });
	const upload = join(outdir, "worker.upload");
	const { stdout, stderr } = await run("wrangler", ["deploy", "--dry-run", "--outdir", outdir, "--outfile", upload], {
		env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" },
		maxBuffer: 16 * 1024 * 1024,
	});
	const text = `${stdout}\n${stderr}`;
	const m = /Total Upload:\s*([\d.]+)\s*KiB\s*\/\s*gzip:\s*([\d.]+)\s*KiB/.exec(text);
	if (!m) throw new Error(`could not read the bundle size from wrangler's output:\n${text}`);
	// The bundle is named after wrangler.toml's `main` (index.js, worker.js...): the one .js there.
	const scripts = (await readdir(outdir)).filter((f) => f.endsWith(".js"));
	if (scripts.length !== 1) throw new Error(`expected one bundle in ${outdir}, found ${scripts.join(", ") || "none"}`);
	return { path: join(outdir, scripts[0]), upload, totalKiB: Number(m[1]), gzipKiB: Number(m[2]) };
}

/**
 * Bundles one bench-only Worker entry (a baseline, or the counting wrapper) for workerd.
 * `@vigil/*` resolve into the project under test (the working directory), not this harness's
 * checkout, so the wrapper wraps the very Worker being measured.
 */
export async function buildEntry(entryPoint, outfile) {
	await build({
		entryPoints: [entryPoint],
		alias: { "@vigil/worker": resolve("worker/index.ts"), "@vigil/schema": resolve("worker/db/schema/index.ts") },
		outfile,
		bundle: true,
		format: "esm",
		platform: "neutral",
		target: "es2024",
		// What wrangler resolves for workerd, so the wrapped Worker is built from the same sources it deploys.
		mainFields: ["module", "main"],
		conditions: ["workerd", "worker", "browser"],
		// Node built-ins (papaparse asks for "stream") are provided by workerd's nodejs_compat.
		external: ["cloudflare:*", "node:*", ...builtinModules],
		jsx: "automatic",
		jsxImportSource: "hono/jsx",
		logLevel: "error",
	});
	return { path: outfile };
}

/** The module text of a built bundle, for miniflare's manifest. */
export const readBundle = (path) => readFile(path, "utf8");
