// Serves one bundle with miniflare 5 (workerd directly, no wrangler dev proxy) and a local D1
// with the project's migrations applied.
import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { Miniflare } from "miniflare";
import { workerdPids } from "./memory.mjs";

export const ADMIN_TOKEN = "bench-admin-token";
const SECRETS_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

/** Applies migrations/*.sql in order; drizzle-kit separates statements with breakpoints. */
export async function applyMigrations(db, dir = "migrations") {
	const files = (await readdir(dir)).filter((f) => f.endsWith(".sql")).sort();
	for (const file of files) {
		const sql = await readFile(join(dir, file), "utf8");
		const statements = sql
			.split("--> statement-breakpoint")
			.map((s) => s.trim())
			.filter(Boolean);
		await db.batch(statements.map((s) => db.prepare(s)));
	}
	return files;
}

// Starts are serialised: the new workerd's pid is found as "the workerd child that was not
// there before", which only holds when one starts at a time.
let starting = Promise.resolve();

/**
 * Starts workerd for one Worker. miniflare 5 takes `workers: [{ config }]` with a module
 * manifest and typed `env` bindings (not miniflare 4's flat `modules`/`d1Databases`).
 */
export function startWorker(options) {
	const started = starting.then(() => launch(options));
	starting = started.then(
		() => undefined,
		() => undefined,
	);
	return started;
}

async function launch({ name, code, stateDir, migrate = true, vars = {}, bindings = {}, triggers }) {
	await rm(stateDir, { recursive: true, force: true });
	const before = new Set(workerdPids());
	const env = {
		DB: { type: "d1", id: `${name}-db` },
		EMAIL: { type: "send-email" },
		ADMIN_TOKEN: { type: "text", value: ADMIN_TOKEN },
		SECRETS_KEY: { type: "text", value: SECRETS_KEY },
		APP_URL: { type: "text", value: "http://127.0.0.1" },
		ALERT_FROM: { type: "text", value: "bench@example.org" },
		DEFAULT_TIMEZONE: { type: "text", value: "UTC" },
		...Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, { type: "text", value: v }])),
		...bindings,
	};
	const mf = new Miniflare({
		host: "127.0.0.1",
		port: 0,
		resourcePersistencePath: stateDir,
		enableDevRegistry: false,
		telemetry: { enabled: false },
		workers: [
			{
				config: {
					name,
					compatibilityDate: "2026-11-01",
					compatibilityFlags: ["nodejs_compat"],
					manifest: { mainModule: "index.js", modules: { "index.js": { type: "esm", contents: code } } },
					env,
					...(triggers ? { triggers } : {}),
				},
			},
		],
	});
	const url = await mf.ready;
	const pid = workerdPids().find((p) => !before.has(p)) ?? null;
	const db = await mf.getD1Database("DB");
	if (migrate) await applyMigrations(db);
	let disposed = null;
	return {
		name,
		url,
		db,
		pid,
		mf,
		fetch: (path, init) => fetch(new URL(path, url), init),
		/** Stops workerd; safe to call twice. */
		dispose: () => (disposed ??= mf.dispose()),
	};
}
