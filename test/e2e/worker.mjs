// Starts the Worker with `wrangler dev --local` on a free port, against a throwaway local D1
// with migrations applied, for the browser test. Node only; not part of the workerd suite.
import { execFile, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const quietEnv = { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1", NO_COLOR: "1" };

/** A TCP port nobody is listening on right now. */
export function freePort() {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.on("error", reject);
		server.listen(0, "127.0.0.1", () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/** Runs SQL against the local D1 in `persistTo`, as `wrangler d1 execute` does for `npm start`. */
export async function executeSql(persistTo, sql) {
	const file = join(persistTo, `seed-${Date.now()}.sql`);
	await writeFile(file, sql);
	await run("wrangler", ["d1", "execute", "DB", "--local", "--persist-to", persistTo, "--file", file, "--yes"], { env: quietEnv, maxBuffer: 1 << 24 });
}

/**
 * Migrates a fresh local D1 and starts `wrangler dev` on it; resolves once /healthz answers.
 * Returns the base URL, the admin token and stop().
 */
export async function startWorker() {
	const persistTo = await mkdtemp(join(tmpdir(), "vigil-e2e-"));
	await run("wrangler", ["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistTo], { env: quietEnv });
	const [port, inspectorPort] = [await freePort(), await freePort()];
	const adminToken = `e2e-${crypto.randomUUID()}`;
	// Every required setting, so /healthz answers 200 whether or not a .dev.vars exists here.
	const secretsKey = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64");
	const args = ["dev", "--local", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(inspectorPort), "--persist-to", persistTo];
	args.push("--show-interactive-dev-session=false", "--log-level", "warn", "--var", `ADMIN_TOKEN:${adminToken}`, "--var", `SECRETS_KEY:${secretsKey}`);
	args.push("--var", `APP_URL:http://127.0.0.1:${port}`);
	const child = spawn("wrangler", args, { env: quietEnv, stdio: ["ignore", "pipe", "pipe"], detached: true });
	let output = "";
	child.stdout.on("data", (d) => (output += d));
	child.stderr.on("data", (d) => (output += d));
	const base = `http://127.0.0.1:${port}`;

	const stop = async () => {
		// wrangler starts workerd as a child: end the whole process group we started, then our temp dir.
		if (child.exitCode === null) {
			try {
				process.kill(-child.pid, "SIGTERM");
			} catch {}
			await new Promise((resolve) => {
				const timer = setTimeout(() => {
					try {
						process.kill(-child.pid, "SIGKILL");
					} catch {}
					resolve();
				}, 5000);
				child.once("exit", () => {
					clearTimeout(timer);
					resolve();
				});
			});
		}
		await rm(persistTo, { recursive: true, force: true });
	};

	const deadline = Date.now() + 90_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`wrangler dev exited (${child.exitCode}):\n${output}`);
		try {
			const res = await fetch(`${base}/healthz`);
			if (res.ok) break;
		} catch {}
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`wrangler dev did not answer /healthz within 90 s:\n${output}`);
		}
		await new Promise((r) => setTimeout(r, 300));
	}
	return { base, adminToken, persistTo, stop, output: () => output };
}
