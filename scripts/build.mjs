// wrangler's [build] command: bundles worker/index.ts into dist/ (see worker-bundle.mjs for how).
import * as esbuild from "esbuild";
import { workerBuildOptions } from "./worker-bundle.mjs";

await esbuild.build({
	...workerBuildOptions,
	entryPoints: ["worker/index.ts"],
	outfile: "dist/worker.js",
	sourcemap: true,
	minify: true,
	legalComments: "none",
});
