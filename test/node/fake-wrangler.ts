/**
 * A fake `wrangler` for the deploy script's tests: a small Node program written into a temporary
 * directory that goes first on PATH. It keeps a Cloudflare account in `state.json` (login,
 * databases, queues, the Worker and its secrets, migrations not yet applied), records every call
 * (arguments, `--config`, stdin) in `calls.jsonl`, and answers as wrangler 4.156 does: the same
 * JSON for `--json`, the same messages and exit codes (read from its source, wrangler-dist/cli.js).
 */

import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { execPath } from "node:process";

export interface FakeAccount {
	loggedIn: boolean;
	email: string;
	accounts: { id: string; name: string }[];
	databases: { uuid: string; name: string }[];
	queues: string[];
	workerExists: boolean;
	secrets: string[];
	/** Migrations the remote database has not applied yet, in order. */
	pending: string[];
	/** The pending migration that fails as remote D1 fails a trigger split on `;`. */
	failing: string | null;
	/**
	 * The pending migration wrangler marks ❌ without an error message and goes on past, exiting 0
	 * (`d1 migrations apply` does so when D1 answers `success: false` without throwing).
	 */
	quietlyFailing: string | null;
	deploys: number;
}

export interface Call {
	args: string[];
	config: string | null;
	stdin: string;
}

const FRESH: FakeAccount = {
	loggedIn: true,
	email: "ana@example.org",
	accounts: [{ id: "0a1b2c3d4e5f60718293a4b5c6d7e8f9", name: "Ana's newsroom" }],
	databases: [],
	queues: [],
	workerExists: false,
	secrets: [],
	pending: ["0000_milestones_zones_cron_runs.sql", "0001_sources_incidents_deliveries.sql"],
	failing: null,
	quietlyFailing: null,
	deploys: 0,
};

const PROGRAM = String.raw`#!/usr/bin/env node
const fs = require("node:fs");
const { randomUUID } = require("node:crypto");
const statePath = __dirname + "/state.json";
const state = JSON.parse(fs.readFileSync(statePath, "utf8"));
const argv = process.argv.slice(2);
const at = argv.indexOf("--config");
const config = at >= 0 ? argv[at + 1] : null;
const args = at >= 0 ? argv.slice(0, at).concat(argv.slice(at + 2)) : argv;
const stdin = fs.readFileSync(0, "utf8");
fs.appendFileSync(__dirname + "/calls.jsonl", JSON.stringify({ args, config, stdin }) + "\n");
const cmd = args.join(" ");
const out = (text) => process.stdout.write(text + "\n");
function end(code) {
	fs.writeFileSync(statePath, JSON.stringify(state, null, 2));
	process.exit(code);
}
function error(text) {
	process.stderr.write("\u2718 [ERROR] " + text + "\n\n");
	end(1);
}
function table(rows) {
	return rows.map((r) => "\u2502 " + r + " \u2502").join("\n");
}

if (cmd === "whoami --json") {
	if (!state.loggedIn) {
		out(JSON.stringify({ loggedIn: false }));
		end(1);
	}
	out(JSON.stringify({ loggedIn: true, authType: "OAuth Token", email: state.email, accounts: state.accounts, tokenPermissions: ["account:read", "d1:write"] }, null, 2));
	end(0);
}
if (!state.loggedIn) {
	error("In a non-interactive environment, it's necessary to set a CLOUDFLARE_API_TOKEN environment variable for wrangler to work.");
}
if (cmd === "d1 list --json") {
	const rows = state.databases.map((d) => ({ uuid: d.uuid, name: d.name, created_at: "2026-12-01T10:00:00.000Z", version: "production", num_tables: 0, file_size: 12288 }));
	out(JSON.stringify(rows, null, 2));
	end(0);
}
if (args[0] === "d1" && args[1] === "create" && args.length === 3) {
	if (state.databases.some((d) => d.name === args[2])) error("A database with that name already exists");
	const uuid = randomUUID();
	state.databases.push({ uuid, name: args[2] });
	out("\u2705 Successfully created DB '" + args[2] + "' in region WEUR\nCreated your new D1 database.\n");
	out("To access your new D1 Database in your Worker, add the following snippet to your configuration file:");
	out('[[d1_databases]]\nbinding = "' + args[2] + '"\ndatabase_name = "' + args[2] + '"\ndatabase_id = "' + uuid + '"');
	end(0);
}
if (args[0] === "queues" && args[1] === "info" && args.length === 3) {
	if (!state.queues.includes(args[2])) error('Queue "' + args[2] + '" does not exist. To create it, run: wrangler queues create ' + args[2]);
	out("Queue Name: " + args[2] + "\nQueue ID: 5e1b0d2c\nCreated On: 2026-12-01T10:00:00Z\nNumber of Producers: 0\nNumber of Consumers: 0");
	end(0);
}
if (args[0] === "queues" && args[1] === "create" && args.length === 3) {
	state.queues.push(args[2]);
	out("\uD83C\uDF00 Creating queue '" + args[2] + "'\n\u2705 Created queue '" + args[2] + "'");
	end(0);
}
if (cmd === "secret list --format json") {
	if (!state.workerExists) {
		error('Worker "vigil" not found.\n\nIf this is a new Worker, run ' + "\u0060wrangler deploy\u0060" + " first to create it.\nOtherwise, check that the Worker name is correct and you're logged into the right account.");
	}
	out(JSON.stringify(state.secrets.map((name) => ({ name, type: "secret_text" })), null, "  "));
	end(0);
}
if (args[0] === "secret" && args[1] === "put" && args.length === 3) {
	if (!stdin.trim()) error("the secret's value is empty");
	out('\uD83C\uDF00 Creating the secret for the Worker "vigil" ');
	if (!state.workerExists) {
		out('? There doesn\'t seem to be a Worker called "vigil". Do you want to create a new Worker with that name and add secrets to it?');
		out("\uD83E\uDD16 Using fallback value in non-interactive context: yes");
		out('\uD83C\uDF00 Creating new Worker "vigil"...');
		state.workerExists = true;
	}
	if (!state.secrets.includes(args[2])) state.secrets.push(args[2]);
	out("\u2728 Success! Uploaded secret " + args[2]);
	end(0);
}
function requireRecordedDatabase() {
	const id = /database_id\s*=\s*"([^"]*)"/.exec(fs.readFileSync(config, "utf8"));
	if (!id || !state.databases.some((d) => d.uuid === id[1])) {
		error("A request to the Cloudflare API (/accounts/0a1b/d1/database/" + (id ? id[1] : "") + "/query) failed.\n  The database could not be found. [code: 7404]");
	}
}
if (cmd === "d1 migrations apply DB --remote") {
	requireRecordedDatabase();
	if (state.pending.length === 0) {
		out("\u2705 No migrations to apply!");
		end(0);
	}
	out("Migrations to be applied:\n" + table(state.pending));
	out("? About to apply " + state.pending.length + " migration(s)\nYour database may not be available to serve requests during the migration, continue?");
	out("\uD83E\uDD16 Using fallback value in non-interactive context: yes");
	const left = [];
	for (const [i, name] of state.pending.entries()) {
		if (name === state.failing) {
			out(table([name + " \u274C"]));
			process.stderr.write("\u2718 [ERROR] Migration " + name + " failed with the following errors:\n\n");
			state.pending = left.concat(state.pending.slice(i));
			error("incomplete input: SQLITE_ERROR [code: 7500]");
		}
		if (name === state.quietlyFailing) left.push(name);
		out(table([name + (name === state.quietlyFailing ? " \u274C" : " \u2705")]));
	}
	state.pending = left;
	end(0);
}
if (cmd === "d1 migrations list DB --remote") {
	requireRecordedDatabase();
	out(state.pending.length === 0 ? "\u2705 No migrations to apply!" : "Migrations to be applied:\n" + table(state.pending));
	end(0);
}
if (cmd === "deploy") {
	requireRecordedDatabase();
	state.workerExists = true;
	state.deploys += 1;
	out("Total Upload: 1234.56 KiB / gzip: 290.12 KiB\nUploaded vigil (4.20 sec)\nDeployed vigil triggers (1.10 sec)\n  https://vigil.ana-newsroom.workers.dev\n  schedule: * * * * *\n  schedule: 0 6 * * *");
	out("Current Version ID: 6f0e9d8c-7b6a-5948-3726-1504f3e2d1c0");
	end(0);
}
process.stderr.write("fake wrangler: no answer for: " + cmd + "\n");
end(2);
`;

export interface FakeWrangler {
	dir: string;
	/** A PATH with the fake first, and the directory of the node running the tests after it. */
	path: string;
	account(): FakeAccount;
	calls(): Call[];
	/** Each call as a command line, without `--config`. */
	commands(): string[];
}

/** Writes the fake, with an account that starts as `FRESH` changed by `account`. */
export function installFakeWrangler(account: Partial<FakeAccount> = {}): FakeWrangler {
	const dir = mkdtempSync(join(tmpdir(), "vigil-fake-wrangler-"));
	writeFileSync(join(dir, "wrangler"), PROGRAM);
	chmodSync(join(dir, "wrangler"), 0o755);
	writeFileSync(join(dir, "state.json"), JSON.stringify({ ...FRESH, ...account }));
	writeFileSync(join(dir, "calls.jsonl"), "");
	const calls = () =>
		readFileSync(join(dir, "calls.jsonl"), "utf8")
			.split("\n")
			.filter(Boolean)
			.map((line) => JSON.parse(line) as Call);
	return {
		dir,
		path: `${dir}:${dirname(execPath)}:/usr/bin:/bin`,
		account: () => JSON.parse(readFileSync(join(dir, "state.json"), "utf8")) as FakeAccount,
		calls,
		commands: () => calls().map((c) => c.args.join(" ")),
	};
}
