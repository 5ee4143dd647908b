import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Block, firstLine } from "./blocks";

/** Where and against what a file's blocks run. */
export interface SessionOptions {
	/** The session's working directory: the instance's checkout, whose .dev.vars holds its token. */
	cwd: string;
	/** Exported as VIGIL before the first block and again after each one. */
	vigil: string;
	/** Exported as ADMIN_TOKEN; a block that leaves it set to anything else fails. */
	adminToken: string;
	/** How long one block may run. */
	blockTimeoutMs: number;
}

/** How one file's blocks went: all passed, or the first that failed and why. */
export interface SessionResult {
	passed: number;
	failure?: { block: Block; index: number; reason: string; output: string };
}

// From the caller's environment, only what finding and running programs needs: a variable a
// developer happens to have exported must not make an example pass here and fail for a reader.
const KEPT_ENV = ["PATH", "HOME", "USER", "LANG", "LC_ALL", "TMPDIR", "TERM"];

function quote(value: string): string {
	return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * The bash script that runs the blocks: prelude.sh (set -euo pipefail, the `curl` that fails on
 * HTTP errors, VIGIL and ADMIN_TOKEN), then each block sourced into the same shell so variables
 * carry, its output to its own file. `current` and `passed` tell the caller where the session is.
 */
function driver(dir: string, count: number, options: SessionOptions): string {
	const lines = [
		`__vigil_url=${quote(options.vigil)}`,
		`__vigil_token=${quote(options.adminToken)}`,
		`source ${quote(join(dirname(fileURLToPath(import.meta.url)), "prelude.sh"))}`,
	];
	for (let i = 1; i <= count; i++) {
		const out = quote(join(dir, `${i}.out`));
		lines.push(`echo ${i} > ${quote(join(dir, "current"))}`);
		lines.push(`source ${quote(join(dir, `${i}.sh`))} > ${out} 2>&1`);
		lines.push(`__vigil_after >> ${out} 2>&1`);
		lines.push(`echo ${i} > ${quote(join(dir, "passed"))}`);
	}
	return `${lines.join("\n")}\n`;
}

function killGroup(pid: number | undefined): void {
	try {
		if (pid) process.kill(-pid, "SIGKILL");
	} catch {
		// already gone
	}
}

function readNumber(path: string): number {
	return existsSync(path) ? Number(readFileSync(path, "utf8").trim()) || 0 : 0;
}

/**
 * Runs `blocks` in order in one fresh bash session (`set -euo pipefail`) whose environment holds
 * VIGIL and ADMIN_TOKEN besides PATH and the like. Stops at the first block that fails or runs
 * past the timeout; the blocks after it are not run.
 */
export async function runSession(blocks: Block[], options: SessionOptions): Promise<SessionResult> {
	const dir = mkdtempSync(join(tmpdir(), "vigil-docs-session-"));
	try {
		for (const [i, block] of blocks.entries()) writeFileSync(join(dir, `${i + 1}.sh`), `${block.code}\n`);
		writeFileSync(join(dir, "driver.sh"), driver(dir, blocks.length, options));
		const env = { ...process.env };
		for (const name of Object.keys(env)) if (!KEPT_ENV.includes(name)) delete env[name];

		const bash = spawn("bash", ["--noprofile", "--norc", join(dir, "driver.sh")], { cwd: options.cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
		let own = "";
		bash.stdout.on("data", (c: Buffer) => (own += c));
		bash.stderr.on("data", (c: Buffer) => (own += c));

		let current = 0;
		let since = Date.now();
		let timedOut = false;
		const watch = setInterval(() => {
			const now = readNumber(join(dir, "current"));
			if (now !== current) {
				current = now;
				since = Date.now();
			} else if (!timedOut && Date.now() - since > options.blockTimeoutMs) {
				timedOut = true;
				killGroup(bash.pid);
			}
		}, 100);
		const ended = await new Promise<number | string>((resolve) => {
			bash.on("error", (e) => resolve(`bash could not run: ${e.message}`));
			bash.on("exit", (code, signal) => resolve(code ?? `killed by ${signal}`));
		});
		clearInterval(watch);
		// Whatever a block left running in the background ends with its session.
		killGroup(bash.pid);

		const passed = readNumber(join(dir, "passed"));
		if (ended === 0 && passed === blocks.length) return { passed };
		const index = readNumber(join(dir, "current")) || 1;
		const block = blocks[index - 1] ?? blocks[0];
		const outFile = join(dir, `${index}.out`);
		const output = (existsSync(outFile) ? readFileSync(outFile, "utf8") : "") + own;
		const reason = timedOut ? `did not finish within ${options.blockTimeoutMs / 1000} s` : typeof ended === "number" ? `exit status ${ended}` : ended;
		return block ? { passed, failure: { block, index: index - 1, reason, output } } : { passed };
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

function indent(text: string): string {
	const body = text.trimEnd();
	return body ? body.replace(/^/gm, "    │ ") : "    │ (no output)";
}

/** The message for a file whose session failed: where, which block, why, and what it printed. */
export function failureReport(file: string, blocks: Block[], result: SessionResult, instanceLog: string): string {
	const failure = result.failure;
	if (!failure) return "";
	const { text, line } = firstLine(failure.block);
	const after = blocks.length - failure.index - 1;
	return [
		`✗ ${file}:${line}: the block starting \`${text.trim()}\` failed (${failure.reason}).`,
		`  ${failure.index} of ${blocks.length} blocks passed before it${after > 0 ? `; the ${after} after it did not run` : ""}. Its output:`,
		indent(failure.output),
		...(instanceLog.trim() ? ["  npm start's log meanwhile:", indent(instanceLog)] : []),
	].join("\n");
}
