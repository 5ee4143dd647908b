import { spawnSync } from "node:child_process";
import { stripVTControlCharacters } from "node:util";

/**
 * The migrations `wrangler d1 migrations apply` reports having applied: [] when it had none to
 * apply, null when its output is in a form this does not recognise (the caller then shows it).
 * wrangler prints the table of pending migrations, then the whole table again after each one.
 */
export function appliedMigrations(output: string): string[] | null {
	const text = stripVTControlCharacters(output);
	if (text.includes("No migrations to apply!")) return [];
	const names = new Set([...text.matchAll(/│\s*(\S+\.sql)\s*│/g)].map((m) => m[1] ?? ""));
	return names.size > 0 ? [...names] : null;
}

/**
 * Applies pending migrations to the local D1 with wrangler's output captured, and returns one line
 * saying what was done. A failure throws with wrangler's whole output.
 */
export function migrateLocal(env: NodeJS.ProcessEnv): string {
	const r = spawnSync("wrangler", ["d1", "migrations", "apply", "DB", "--local"], {
		encoding: "utf8",
		env: { ...env, CI: "1" },
		maxBuffer: 64 * 1024 * 1024,
	});
	const output = `${r.stdout ?? ""}${r.stderr ?? ""}`;
	if (r.error) throw new Error(`wrangler d1 migrations apply could not run: ${r.error.message}`);
	if (r.status !== 0) throw new Error(`wrangler d1 migrations apply failed (exit ${r.status}):\n${output}`);
	const applied = appliedMigrations(output);
	if (applied === null) return `local D1 migrated; wrangler said:\n${output.trimEnd()}`;
	if (applied.length === 0) return "local D1 up to date: no migration to apply";
	const range = applied.length === 1 ? applied[0] : `${applied[0]} … ${applied.at(-1)}`;
	return `local D1: ${applied.length} migration${applied.length === 1 ? "" : "s"} applied (${range})`;
}
