import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execPath } from "node:process";
import { afterAll, describe, expect, it } from "vitest";
import { deploy } from "../../scripts/deploy/run";
import type { SecretPolicy } from "../../scripts/deploy/steps";
import type { Environment } from "../../scripts/deploy/wrangler";
import { type FakeAccount, type FakeWrangler, installFakeWrangler } from "./fake-wrangler";

const REPO = join(import.meta.dirname, "../..");
const TSX = join(REPO, "node_modules/tsx/dist/cli.mjs");
const ZEROS = "00000000-0000-0000-0000-000000000000";
// A queue of the test's own beside whatever wrangler.toml names, so queue creation is exercised
// whether or not the repository's file declares one yet.
const TEST_QUEUE = "vigil-deploy-test-events";

interface Setup {
	fake: FakeWrangler;
	configPath: string;
	original: string;
	/** Every queue name the temporary wrangler.toml declares. */
	queues: string[];
}

const temporary: string[] = [];
afterAll(() => {
	for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** A fake account and a temporary copy of the repository's wrangler.toml: the real one is never written. */
function setup(account: Partial<FakeAccount> = {}): Setup {
	const fake = installFakeWrangler(account);
	const dir = mkdtempSync(join(tmpdir(), "vigil-deploy-"));
	temporary.push(fake.dir, dir);
	const configPath = join(dir, "wrangler.toml");
	const original = `${readFileSync(join(REPO, "wrangler.toml"), "utf8")}\n[[queues.consumers]]\nqueue = "${TEST_QUEUE}"\n`;
	writeFileSync(configPath, original);
	const queues = [...new Set([...original.matchAll(/^\s*(?:queue|dead_letter_queue)\s*=\s*"([^"]+)"/gm)].map((m) => m[1] ?? ""))];
	return { fake, configPath, original, queues };
}

/** `npm run deploy` as a user runs it (no terminal: stdin is a pipe), against the fake. */
function cli(s: Setup, args: string[] = [], env: Record<string, string> = {}): { code: number | null; out: string } {
	// Only what the test gives: no real Cloudflare credential reaches the fake.
	const childEnv: Environment = { PATH: s.fake.path, HOME: s.fake.dir, ...env };
	const result = spawnSync(execPath, [TSX, "scripts/deploy.ts", "--config", s.configPath, ...args], {
		cwd: REPO,
		env: childEnv as NodeJS.ProcessEnv,
		encoding: "utf8",
		timeout: 60_000,
	});
	return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

/** The same deploy in this process, where a test can answer its questions. */
async function inProcess(s: Setup, secrets: Partial<SecretPolicy> = {}): Promise<{ ok: boolean; out: string }> {
	const lines: string[] = [];
	const ok = await deploy({
		configPath: s.configPath,
		env: { PATH: s.fake.path, HOME: s.fake.dir },
		secrets: { env: {}, consent: false, ask: null, readToken: false, ...secrets },
		print: (line) => lines.push(line),
	});
	return { ok, out: lines.join("\n") };
}

function recordedId(configPath: string): string | undefined {
	return /^database_id = "([^"]+)"/m.exec(readFileSync(configPath, "utf8"))?.[1];
}

const DEPLOYED = ["d1 migrations apply DB --remote", "d1 migrations list DB --remote", "deploy"];

// Each run starts node processes (the script, then the fake for every wrangler call): on a busy
// machine that is seconds, not the default five.
describe("npm run deploy against a fake wrangler", { timeout: 60_000 }, () => {
	it("takes a fresh account to a deployed Worker: database created and its id recorded, queues, secrets generated with --yes, migrations, code", () => {
		const s = setup();
		const { code, out } = cli(s, ["--yes"]);
		expect(code, out).toBe(0);

		const account = s.fake.account();
		expect(account.databases.map((d) => d.name)).toEqual(["vigil"]);
		const id = account.databases[0]?.uuid ?? "";
		expect(readFileSync(s.configPath, "utf8")).toBe(s.original.replace(`database_id = "${ZEROS}"`, `database_id = "${id}"`));
		expect(s.fake.calls().every((c) => c.config === s.configPath)).toBe(true);
		expect(s.fake.commands()).toEqual([
			"whoami --json",
			"d1 list --json",
			"d1 create vigil",
			"d1 list --json",
			...s.queues.flatMap((q) => [`queues info ${q}`, `queues create ${q}`]),
			"secret list --format json",
			"secret put ADMIN_TOKEN",
			"secret put SECRETS_KEY",
			...DEPLOYED,
		]);
		expect(account.queues).toEqual(s.queues);
		expect(account.secrets).toEqual(["ADMIN_TOKEN", "SECRETS_KEY"]);
		expect(account.pending).toEqual([]);
		expect(account.deploys).toBe(1);

		// Secrets travel on stdin only; the admin token is shown once, the key never.
		const put = (name: string) => s.fake.calls().find((c) => c.args.join(" ") === `secret put ${name}`)?.stdin ?? "";
		const token = put("ADMIN_TOKEN");
		const key = put("SECRETS_KEY");
		expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(Buffer.from(key, "base64")).toHaveLength(32);
		expect(out.split(token)).toHaveLength(2);
		expect(out).not.toContain(key);
		expect(s.fake.calls().some((c) => c.args.some((a) => a.includes(token) || a.includes(key)))).toBe(false);

		expect(out).toContain("1/6 login: logged in as ana@example.org, account Ana's newsroom");
		expect(out).toContain(`2/6 database: DB: created the database "vigil" (${id}) and recorded its id in ${s.configPath}`);
		expect(out).toContain(`3/6 queues: created queue "${TEST_QUEUE}"`);
		expect(out).toContain("5/6 migrations: DB: applied; none left");
		expect(out).toContain("6/6 deploy: deployed to https://vigil.ana-newsroom.workers.dev");
	});

	it("run again, changes nothing but the code: no database, queue or secret created, nothing to migrate, deployed", async () => {
		const s = setup();
		expect((await inProcess(s, { consent: true })).ok).toBe(true);
		const first = s.fake.calls().length;
		const config = readFileSync(s.configPath, "utf8");

		const { ok, out } = await inProcess(s);
		expect(ok, out).toBe(true);
		expect(
			s.fake
				.calls()
				.slice(first)
				.map((c) => c.args.join(" ")),
		).toEqual(["whoami --json", "d1 list --json", ...s.queues.map((q) => `queues info ${q}`), "secret list --format json", ...DEPLOYED]);
		expect(readFileSync(s.configPath, "utf8")).toBe(config);
		expect(s.fake.account().deploys).toBe(2);
		expect(out).toContain("DB: already up to date");
		expect(out).toContain("ADMIN_TOKEN, SECRETS_KEY already set; left alone");
	});

	it("finds a database that exists under wrangler.toml's name and records its id instead of creating another", async () => {
		const existing = { uuid: "7c9e6679-7425-40de-944b-e07fc1f90ae7", name: "vigil" };
		const s = setup({ databases: [existing], queues: [TEST_QUEUE], workerExists: true, secrets: ["ADMIN_TOKEN", "SECRETS_KEY"] });
		const { ok, out } = await inProcess(s);
		expect(ok, out).toBe(true);
		expect(s.fake.commands()).not.toContain("d1 create vigil");
		expect(recordedId(s.configPath)).toBe(existing.uuid);
		expect(out).toContain(`DB: found the existing database "vigil" (${existing.uuid})`);
	});

	it("stops at a failing migration, naming the step, and never deploys the code", () => {
		const s = setup({ pending: ["0006_incident_hourly_counts.sql", "0007_incident_hourly_triggers.sql"], failing: "0007_incident_hourly_triggers.sql" });
		const { code, out } = cli(s, ["--yes"]);
		expect(code, out).toBe(1);
		expect(s.fake.commands()).not.toContain("deploy");
		expect(s.fake.commands()).not.toContain("d1 migrations list DB --remote");
		expect(s.fake.account().deploys).toBe(0);
		expect(out).toContain("5/6 migrations FAILED: the migrations of DB failed; the code was not deployed");
		expect(out).toContain("incomplete input: SQLITE_ERROR [code: 7500]");
		expect(out).toContain("stopped at step 5/6 (migrations)");
	});

	it("stops when a migration is left unapplied although wrangler exited 0, and never deploys the code", async () => {
		const s = setup({ pending: ["0006_incident_hourly_counts.sql"], quietlyFailing: "0006_incident_hourly_counts.sql" });
		const { ok, out } = await inProcess(s, { consent: true });
		expect(ok).toBe(false);
		expect(s.fake.commands()).not.toContain("deploy");
		expect(out).toContain("5/6 migrations FAILED: DB still has migrations to apply after `migrations apply`; the code was not deployed");
		expect(out).toContain("0006_incident_hourly_counts.sql");
	});

	it("stops at the first step when nobody is logged in, saying how to log in, and touches nothing", () => {
		const s = setup({ loggedIn: false });
		const { code, out } = cli(s, ["--yes"]);
		expect(code, out).toBe(1);
		expect(s.fake.commands()).toEqual(["whoami --json"]);
		expect(out).toContain("1/6 login FAILED: not logged in to Cloudflare: run `npx wrangler login`");
		expect(readFileSync(s.configPath, "utf8")).toBe(s.original);
	});

	it("without a terminal and without --yes, stops at the secrets, naming the missing one, and sets none", () => {
		const s = setup({ secrets: ["ADMIN_TOKEN"], workerExists: true });
		const { code, out } = cli(s);
		expect(code, out).toBe(1);
		expect(out).toContain('4/6 secrets FAILED: SECRETS_KEY is not set on the Worker "vigil" and there is no terminal to ask');
		expect(out).toContain("--yes");
		expect(s.fake.commands().filter((c) => c.startsWith("secret put") || DEPLOYED.includes(c))).toEqual([]);
	});

	it("takes missing secrets from the environment as they are, and shows none of them", () => {
		const s = setup();
		const env = {
			ADMIN_TOKEN: "admin-token-from-the-ci-store",
			SECRETS_KEY: Buffer.alloc(32, 7).toString("base64"),
			READ_TOKEN: "read-token-from-the-ci-store",
		};
		const { code, out } = cli(s, ["--read-token"], env);
		expect(code, out).toBe(0);
		for (const [name, value] of Object.entries(env)) {
			expect(s.fake.calls().find((c) => c.args.join(" ") === `secret put ${name}`)?.stdin).toBe(value);
			expect(out).not.toContain(value);
			expect(out).toContain(`${name} set from the environment`);
		}
	});

	it("at a terminal, asks before generating each secret, and one refusal sets none of them", async () => {
		const s = setup({ databases: [{ uuid: "7c9e6679-7425-40de-944b-e07fc1f90ae7", name: "vigil" }], queues: [TEST_QUEUE] });
		const questions: string[] = [];
		const { ok, out } = await inProcess(s, {
			ask: async (question) => {
				questions.push(question);
				return question.startsWith("ADMIN_TOKEN");
			},
		});
		expect(ok).toBe(false);
		expect(questions).toEqual([
			'ADMIN_TOKEN is not set on the Worker "vigil". Generate a random one? [Y/n] ',
			'SECRETS_KEY is not set on the Worker "vigil". Generate a random one? [Y/n] ',
		]);
		expect(out).toContain('4/6 secrets FAILED: SECRETS_KEY is not set on the Worker "vigil"');
		expect(s.fake.commands().filter((c) => c.startsWith("secret put") || DEPLOYED.includes(c))).toEqual([]);
	});

	it("stops before creating anything when wrangler.toml names a database id the account does not have", async () => {
		const s = setup({ databases: [{ uuid: "7c9e6679-7425-40de-944b-e07fc1f90ae7", name: "vigil" }] });
		writeFileSync(s.configPath, s.original.replace(ZEROS, "11111111-2222-3333-4444-555555555555"));
		const { ok, out } = await inProcess(s, { consent: true });
		expect(ok).toBe(false);
		expect(out).toContain(
			"2/6 database FAILED: wrangler.toml gives DB the database_id 11111111-2222-3333-4444-555555555555, which no database of this account has",
		);
		expect(s.fake.commands()).toEqual(["whoami --json", "d1 list --json"]);
	});
});
