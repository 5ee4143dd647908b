import { readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as esbuild from "esbuild";
import { Miniflare } from "miniflare";
import { afterAll, describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs module of the build scripts, without type declarations
import { workerBuildOptions } from "../../scripts/worker-bundle.mjs";
import { createApp } from "../../worker/app";
import type { Env } from "../../worker/env";

// The deploy bundle replaces parts of zod it believes unused (scripts/worker-bundle.mjs). If a
// dependency ever starts to need one of them, the document served from the bundle changes or
// fails: compare it with the one the untouched source builds.
const out = join(tmpdir(), `vigil-trimmed-${process.pid}.js`);
let mf: Miniflare | undefined;

afterAll(async () => {
	await mf?.dispose();
	await rm(out, { force: true });
});

describe("the trimmed deploy bundle", () => {
	it("serves the same /openapi.json as the source it was built from", async () => {
		await esbuild.build({ ...workerBuildOptions, entryPoints: ["worker/index.ts"], outfile: out, minify: true });
		const vars = { APP_URL: "https://vigil.test", ALERT_FROM: "vigil@example.org", DEFAULT_TIMEZONE: "UTC" };
		// miniflare 5's shape: one worker with a module manifest and typed env entries.
		mf = new Miniflare({
			workers: [
				{
					config: {
						name: "trimmed",
						compatibilityDate: "2026-11-01",
						compatibilityFlags: ["nodejs_compat"],
						manifest: { mainModule: "index.js", modules: { "index.js": { type: "esm", contents: await readFile(out, "utf8") } } },
						env: Object.fromEntries(Object.entries(vars).map(([k, value]) => [k, { type: "text", value }])),
					},
				},
			],
		});
		const served = await (await mf.dispatchFetch("https://vigil.test/openapi.json")).json();
		const source = await (await createApp().request("https://vigil.test/openapi.json", {}, vars as Env)).json();
		expect(Object.keys((source as { paths: object }).paths).length).toBeGreaterThan(20);
		expect(served).toEqual(source);
	}, 60_000);
});
