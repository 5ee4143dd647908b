import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { copyFileSync, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** A local Vigil started with `npm start`, in a checkout of its own. */
export interface Instance {
	/** The base URL it serves on. */
	url: string;
	adminToken: string;
	/** Its checkout: the working tree's files and node_modules, its own .dev.vars and .wrangler. */
	dir: string;
	/** Everything npm start printed so far. */
	output(): string;
	/** Stops npm start (which stops wrangler dev) and removes the checkout. */
	stop(): Promise<void>;
}

// npm start's last banner line: the seed is loaded and the crons are set.
const READY = "[vigil] Ctrl-C stops everything.";

// The stop() of every instance still running, for stopAll().
const running = new Set<() => Promise<void>>();

/** Stops every instance still running (on Ctrl-C or a kill of the test run). */
export async function stopAll(): Promise<void> {
	await Promise.all([...running].map((stop) => stop()));
}

/** A port nothing listens on now, chosen by the system. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.on("error", reject);
		server.listen(0, "127.0.0.1", () => {
			const address = server.address();
			server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
		});
	});
}

/**
 * Recreates the tree at `src` under `dst` with hard links (copies across file systems). A command
 * in the docs that deletes or reinstalls node_modules (`npm ci`) then acts on the links, never on
 * the developer's own files, which a symbolic link would hand it.
 */
function linkTree(src: string, dst: string): void {
	mkdirSync(dst, { recursive: true });
	for (const entry of readdirSync(src, { withFileTypes: true })) {
		const from = join(src, entry.name);
		const to = join(dst, entry.name);
		if (entry.isDirectory()) linkTree(from, to);
		else if (entry.isSymbolicLink()) symlinkSync(readlinkSync(from), to);
		else {
			try {
				linkSync(from, to);
			} catch {
				copyFileSync(from, to);
			}
		}
	}
}

/**
 * A copy of the working tree at `root` (tracked files and new ones not ignored, as they are on
 * disk), so the instance has its own .dev.vars, D1 and build output and serves the docs being
 * checked; node_modules is linked in file by file.
 */
function checkout(root: string): string {
	const dir = mkdtempSync(join(tmpdir(), "vigil-docs-"));
	const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8" });
	for (const file of files.split("\0")) {
		if (!file || !existsSync(join(root, file))) continue;
		mkdirSync(dirname(join(dir, file)), { recursive: true });
		copyFileSync(join(root, file), join(dir, file));
	}
	linkTree(join(root, "node_modules"), join(dir, "node_modules"));
	return dir;
}

/** Sends `signal` to the child's process group, if it is still there. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	try {
		if (child.pid) process.kill(-child.pid, signal);
	} catch {
		// already gone
	}
}

/**
 * Starts `npm start` with PORT=port in a fresh checkout of `root` and resolves once its banner
 * says it is up (migrated, seeded). Rejects with npm start's whole output if it exits or is not up
 * within `timeoutMs`; the process and the checkout are gone by then.
 */
export async function startInstance(root: string, port: number, timeoutMs = 300_000): Promise<Instance> {
	const dir = checkout(root);
	const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port) };
	// npm start's own switches, which the developer running the tests may have set.
	for (const name of ["APP_URL", "VIGIL_VERBOSE"]) delete env[name];
	const child = spawn("npm", ["start"], { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
	let output = "";
	child.stdout.on("data", (c: Buffer) => (output += c));
	child.stderr.on("data", (c: Buffer) => (output += c));
	const closed = new Promise<void>((resolve) => child.on("close", () => resolve()));

	// However the test run ends, npm start is asked to stop (it then stops wrangler dev).
	const onExit = () => signalGroup(child, "SIGTERM");
	process.on("exit", onExit);
	let stopped = false;
	const stop = async () => {
		if (stopped) return;
		stopped = true;
		running.delete(stop);
		signalGroup(child, "SIGTERM");
		// npm start stops wrangler dev's own process group before it exits.
		const late = setTimeout(() => signalGroup(child, "SIGKILL"), 15_000);
		await closed;
		clearTimeout(late);
		process.off("exit", onExit);
		rmSync(dir, { recursive: true, force: true });
	};
	running.add(stop);

	const up = await new Promise<boolean>((resolve) => {
		const timer = setTimeout(() => resolve(false), timeoutMs);
		const check = () => {
			if (output.includes(READY)) {
				clearTimeout(timer);
				resolve(true);
			}
		};
		child.stdout.on("data", check);
		child.on("close", () => {
			clearTimeout(timer);
			resolve(output.includes(READY));
		});
	});
	if (!up) {
		const why = child.exitCode === null ? `was not up within ${timeoutMs / 1000} s` : `exited with ${child.exitCode}`;
		await stop();
		throw new Error(`npm start (PORT=${port}) ${why}; its output:\n${output}`);
	}
	const adminToken = /^ADMIN_TOKEN=(.*)$/m.exec(readFileSync(join(dir, ".dev.vars"), "utf8"))?.[1] ?? "";
	return { url: `http://localhost:${port}`, adminToken, dir, output: () => output, stop };
}
