/**
 * Bundles the Worker for wrangler (its [build] command). One thing differs from wrangler's own
 * bundling: @hono/zod-openapi hands zod's whole `z` namespace to zod-to-openapi, which keeps all
 * 40+ zod locales alive (about 260 KB minified). Vigil only speaks English, so the locale index is
 * replaced with English alone.
 */
import * as esbuild from "esbuild";

const englishOnly = {
	name: "zod-english-only",
	setup(build) {
		build.onResolve({ filter: /locales\/index\.js$/ }, (args) => (args.importer.includes("/node_modules/zod/") ? { path: "zod-locales", namespace: "zod-locales" } : undefined));
		build.onLoad({ filter: /.*/, namespace: "zod-locales" }, () => ({ contents: 'export { default as en } from "zod/v4/locales/en.js";', resolveDir: process.cwd() }));
	},
};

await esbuild.build({
	entryPoints: ["worker/index.ts"],
	outfile: "dist/worker.js",
	bundle: true,
	format: "esm",
	platform: "neutral",
	target: "es2023",
	mainFields: ["module", "main"],
	conditions: ["workerd", "worker", "browser"],
	external: ["cloudflare:*", "node:*"],
	jsx: "automatic",
	jsxImportSource: "hono/jsx",
	sourcemap: true,
	logLevel: "warning",
	plugins: [englishOnly],
});
