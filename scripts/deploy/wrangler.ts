/**
 * Running wrangler for `npm run deploy`, and reading and updating the wrangler.toml it deploys.
 */
import { spawn } from "node:child_process";
import type { Readable } from "node:stream";
import { parse } from "smol-toml";
import { z } from "zod";
import { lineSplitter } from "../dev/wrangler-log";

export interface WranglerResult {
	code: number;
	stdout: string;
	stderr: string;
}

export interface RunOptions {
	/** Written to wrangler's stdin (a secret's value): never on the command line, where `ps` shows it. */
	input?: string;
	/** Show wrangler's lines as they come (long steps: migrations, the upload). */
	echo?: boolean;
}

export type Wrangler = (args: string[], options?: RunOptions) => Promise<WranglerResult>;

/**
 * A child process's environment. Not NodeJS.ProcessEnv: worker/worker-configuration.d.ts declares
 * the Worker's vars on it (for `process.env` inside the Worker), which no shell needs to have.
 */
export type Environment = Record<string, string | undefined>;

/**
 * The wrangler first on PATH (npm scripts put the pinned one there), run against `configPath`.
 * Its stdin is a pipe, so it never stops to prompt: where it would ask, it takes its documented
 * non-interactive answer (apply the migrations, create the Worker a secret belongs to), and every
 * question that is the user's to answer is asked by the deploy script itself, before it runs.
 */
export function wranglerFor(configPath: string, env: Environment, print: (line: string) => void): Wrangler {
	return (args, options = {}) =>
		new Promise((resolve, reject) => {
			const child = spawn("wrangler", [...args, "--config", configPath], { env: env as NodeJS.ProcessEnv, stdio: ["pipe", "pipe", "pipe"] });
			const out: Buffer[] = [];
			const err: Buffer[] = [];
			const collect = (source: Readable, into: Buffer[]) => {
				const echo = lineSplitter((line) => {
					if (line.trim()) print(`    ${line}`);
				});
				source.on("data", (chunk: Buffer) => {
					into.push(chunk);
					if (options.echo) echo.write(chunk);
				});
				source.on("end", () => echo.end());
			};
			collect(child.stdout, out);
			collect(child.stderr, err);
			child.on("error", (e) => reject(new Error(`could not run wrangler: ${e.message}`)));
			child.on("close", (code, signal) =>
				resolve({ code: code ?? (signal ? 128 : 1), stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }),
			);
			child.stdin.end(options.input ?? "");
		});
}

/** The id wrangler.toml ships with: no database has it, so the deploy finds or creates one. */
export const PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000";

const D1Binding = z.object({
	binding: z.string().min(1),
	database_name: z.string().min(1),
	database_id: z.string().optional(),
});
export type D1Binding = z.infer<typeof D1Binding>;

const WranglerToml = z.object({
	name: z.string().min(1),
	account_id: z.string().optional(),
	d1_databases: z.array(D1Binding).default([]),
	queues: z
		.object({
			producers: z.array(z.object({ queue: z.string().min(1) })).default([]),
			consumers: z.array(z.object({ queue: z.string().min(1), dead_letter_queue: z.string().min(1).optional() })).default([]),
		})
		.optional(),
	vars: z.record(z.string(), z.unknown()).default({}),
});

export interface DeployConfig {
	/** The Worker's name: secrets belong to it. */
	worker: string;
	accountId: string | undefined;
	databases: D1Binding[];
	/** Every queue the Worker sends to, consumes, or dead-letters into, once each. */
	queues: string[];
	appUrl: string | undefined;
}

/** What the deploy needs from wrangler.toml; a file it cannot use throws, naming the field. */
export function readDeployConfig(text: string): DeployConfig {
	const parsed = WranglerToml.safeParse(parse(text));
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		throw new Error(`wrangler.toml: ${issue?.path.join(".") || "(top)"}: ${issue?.message}`);
	}
	const { name, account_id, d1_databases, queues, vars } = parsed.data;
	const queueNames = [
		...(queues?.producers ?? []).map((p) => p.queue),
		...(queues?.consumers ?? []).flatMap((c) => (c.dead_letter_queue ? [c.queue, c.dead_letter_queue] : [c.queue])),
	];
	return {
		worker: name,
		accountId: account_id,
		databases: d1_databases,
		queues: [...new Set(queueNames)],
		appUrl: typeof vars.APP_URL === "string" ? vars.APP_URL : undefined,
	};
}

/**
 * wrangler.toml's text with `id` as the database_id of the `[[d1_databases]]` entry bound as
 * `binding`: the line is replaced, or added after database_name. Edited as text, so comments and
 * layout stay as they were.
 */
export function withDatabaseId(text: string, binding: string, id: string): string {
	const lines = text.split("\n");
	const isHeader = (line: string) => /^\s*\[/.test(line);
	for (let start = 0; start < lines.length; start++) {
		if (!/^\s*\[\[\s*d1_databases\s*\]\]/.test(lines[start] ?? "")) continue;
		let end = start + 1;
		while (end < lines.length && !isHeader(lines[end] ?? "")) end++;
		const section = lines.slice(start + 1, end);
		if (!section.some((line) => new RegExp(`^\\s*binding\\s*=\\s*"${binding}"`).test(line))) continue;
		const idLine = section.findIndex((line) => /^\s*database_id\s*=/.test(line));
		if (idLine >= 0) {
			lines[start + 1 + idLine] = (lines[start + 1 + idLine] ?? "").replace(/=\s*"[^"]*"/, `= "${id}"`);
		} else {
			const nameLine = section.findIndex((line) => /^\s*database_name\s*=/.test(line));
			lines.splice(start + 2 + nameLine, 0, `database_id = "${id}"`);
		}
		return lines.join("\n");
	}
	throw new Error(`wrangler.toml has no [[d1_databases]] entry with binding = "${binding}"`);
}
