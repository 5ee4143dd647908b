/**
 * `npm run test:docs` (part of `npm test`): every shell example in README.md and docs/*.md runs
 * against a local Vigil, and an example that fails fails the test. The docs' conventions:
 *
 * - a block fenced `sh` runs; blocks fenced `console` or `text` are shown, not run (`npm start`
 *   itself, `wrangler login`, a remote deploy);
 * - a file's blocks run in order in one bash session (`set -euo pipefail`), so variables carry
 *   from block to block; each file starts a fresh session;
 * - the session has VIGIL (the instance's base URL) and ADMIN_TOKEN exported before the first
 *   block, and nothing else of the caller's environment but PATH, HOME and the locale;
 * - `curl` fails its block on an HTTP status of 400 or more (test/docs/prelude.sh);
 * - an `sh` block that would start a second server, run the tests, reinstall, deploy or log in
 *   (`npm start`, `npm test`, `npm ci`, `wrangler deploy`…) fails its file unrun: it belongs in a
 *   console block.
 *
 * The instance starts as a user starts it: `npm start`, with PORT set (DOCS_PORT, or a free port
 * the system picks), in a temporary copy of the working tree, so it has its own .dev.vars, D1 and
 * seed. The sessions run in that copy. The README's first block, which shows a reader
 * `export VIGIL=http://localhost:8787` and reads ADMIN_TOKEN from .dev.vars, so reads the
 * instance's own token; after each block VIGIL is set back to the instance's URL, and a block that
 * leaves ADMIN_TOKEN set to anything else fails. One instance serves every file, in order
 * (README.md, then docs/*.md by name): what a file creates is still there for the next, so a
 * file's examples use names (slugs, external ids) no other file uses, and rely only on the seed.
 *
 * Arguments name the files to check instead (`npm run test:docs -- docs/api.md`).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type Block, cannotRun, fencedBlocks, firstLine, looksMeantToRun, RUN } from "./blocks";
import { freePort, startInstance, stopAll } from "./instance";
import { failureReport, runSession } from "./session";

const BLOCK_TIMEOUT_MS = 60_000;

function docsFiles(root: string): string[] {
	const docs = existsSync(join(root, "docs")) ? readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")) : [];
	return ["README.md", ...docs.sort().map((f) => `docs/${f}`)];
}

async function main(): Promise<number> {
	const root = process.cwd();
	const files = process.argv.length > 2 ? process.argv.slice(2) : docsFiles(root);
	const plan: { file: string; blocks: Block[] }[] = [];
	let refused = 0;
	let total = 0;
	for (const file of files) {
		const blocks = fencedBlocks(readFileSync(join(root, file), "utf8"));
		for (const b of blocks.filter(looksMeantToRun)) {
			console.log(`docs: note: ${file}:${b.line}: a \`\`\`${b.lang} block is shown, not run: fence it sh to run it, console to only show it`);
		}
		const run = blocks.filter((b) => b.lang === RUN);
		total += run.length;
		const unrunnable = run.find(cannotRun);
		if (unrunnable) {
			const { text, line } = firstLine(unrunnable);
			console.error(
				`✗ ${file}:${line}: the block starting \`${text.trim()}\` runs \`${cannotRun(unrunnable)}\`, which cannot run here: fence it console. No block of ${file} ran.`,
			);
			refused++;
		} else if (run.length > 0) plan.push({ file, blocks: run });
	}
	if (plan.length === 0) {
		console.log(`docs: no sh block to run in ${files.join(", ")}`);
		return refused ? 1 : 0;
	}

	const port = process.env.DOCS_PORT ? Number(process.env.DOCS_PORT) : await freePort();
	console.log(`docs: npm start on port ${port}, in a temporary copy of the working tree`);
	const instance = await startInstance(root, port);
	let failed = refused;
	let ran = 0;
	try {
		for (const { file, blocks } of plan) {
			const logFrom = instance.output().length;
			const result = await runSession(blocks, { cwd: instance.dir, vigil: instance.url, adminToken: instance.adminToken, blockTimeoutMs: BLOCK_TIMEOUT_MS });
			ran += result.passed;
			if (result.failure) {
				failed++;
				// npm start logs a request a moment after curl has its answer.
				await new Promise((r) => setTimeout(r, 500));
				console.error(failureReport(file, blocks, result, instance.output().slice(logFrom)));
			} else {
				console.log(`docs: ${file}: ${blocks.length} block${blocks.length === 1 ? "" : "s"} passed`);
			}
		}
	} finally {
		await instance.stop();
	}
	const withBlocks = plan.length + refused;
	const counted = withBlocks === 1 ? "the 1 file" : `${withBlocks} files`;
	console.log(`docs: ${ran} of ${total} sh blocks passed; ${failed ? `${failed} of ${counted} failed` : `${counted} passed`}`);
	return failed ? 1 : 0;
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
	process.once(signal, () => {
		console.error(`docs: ${signal}: stopping the instance`);
		void stopAll().finally(() => process.exit(130));
	});
}

main().then(
	(code) => process.exit(code),
	(e) => {
		console.error(`docs: ${e instanceof Error ? e.message : e}`);
		void stopAll().finally(() => process.exit(1));
	},
);
