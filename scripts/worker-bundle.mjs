/**
 * How the Worker is bundled, for wrangler (scripts/build.mjs, its [build] command) and for the
 * bench's wrappers around it. One thing differs from wrangler's own bundling: @hono/zod-openapi
 * hands zod's whole `z` namespace to zod-to-openapi, which keeps every part of zod alive
 * whether used or not. Four large parts Vigil never uses are replaced: the 40+
 * locales (about 260 KB minified; Vigil speaks English), `z.fromJSONSchema` (Vigil turns zod
 * into JSON Schema, never the reverse), zod's own JSON Schema generator (`.toJSONSchema()`;
 * the OpenAPI document comes from zod-to-openapi, which reads schemas itself) and `z.compile`
 * (it generates code with `new Function`, which workerd forbids, so it could not run here anyway).
 */
import { builtinModules } from "node:module";

const REPLACED = {
	"locales/index.js": 'export { default as en } from "zod/v4/locales/en.js";',
	"from-json-schema.js": 'export function fromJSONSchema() { throw new Error("z.fromJSONSchema is not bundled in Vigil"); }',
	// Schemas still create their `toJSONSchema` methods (lazily); calling one throws.
	"to-json-schema.js": [
		'const absent = () => { throw new Error("zod\'s JSON Schema generator is not bundled in Vigil"); };',
		"export const createToJSONSchemaMethod = () => absent;",
		"export const createStandardJSONSchemaMethod = () => absent;",
		"export { absent as extractDefs, absent as finalize, absent as handleUnrepresentable, absent as initializeContext, absent as process, absent as processSchema };",
	].join("\n"),
	"compile.js": [
		'export const INVALID = Symbol.for("zod.compile.invalid");',
		"export class ZodCompileAsyncError extends Error {}",
		"export class ZodCompileUnsupportedError extends Error {}",
		'const absent = () => { throw new Error("z.compile is not bundled in Vigil (workerd forbids new Function)"); };',
		"export { absent as compile, absent as withParser, absent as compileFn };",
	].join("\n"),
};

const trimZod = {
	name: "trim-zod",
	setup(build) {
		build.onResolve({ filter: /(locales\/index|from-json-schema|to-json-schema|compile)\.js$/ }, (args) => {
			if (!args.importer.includes("/node_modules/zod/")) return undefined;
			const key = Object.keys(REPLACED).find((k) => args.path.endsWith(k));
			return key ? { path: key, namespace: "zod-trimmed" } : undefined;
		});
		build.onLoad({ filter: /.*/, namespace: "zod-trimmed" }, (args) => ({ contents: REPLACED[args.path], resolveDir: process.cwd() }));
	},
};

/** esbuild options shared by every bundle of the Worker's code (add entryPoints and outfile). */
export const workerBuildOptions = {
	bundle: true,
	format: "esm",
	platform: "neutral",
	target: "es2023",
	mainFields: ["module", "main"],
	conditions: ["workerd", "worker", "browser"],
	// Node built-ins (papaparse asks for "stream") are left for wrangler's nodejs_compat to provide.
	external: ["cloudflare:*", "node:*", ...builtinModules],
	jsx: "automatic",
	jsxImportSource: "hono/jsx",
	logLevel: "warning",
	plugins: [trimZod],
};
