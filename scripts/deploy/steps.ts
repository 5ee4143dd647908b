/**
 * The steps of `npm run deploy`, in order. Each finds out what exists before it creates anything,
 * so a second run creates nothing; each reports what it did through `say`, and throws a
 * StepFailure to stop the deploy.
 */
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { z } from "zod";
import {
	type D1Binding,
	type DeployConfig,
	PLACEHOLDER_ID,
	type RunOptions,
	readDeployConfig,
	type Wrangler,
	type WranglerResult,
	withDatabaseId,
} from "./wrangler";

/** Stops the deploy: `message` says why and what to do; `output` is wrangler's, shown under it. */
export class StepFailure extends Error {
	constructor(
		message: string,
		readonly output = "",
	) {
		super(message);
	}
}

/**
 * Whether a missing secret may be generated. `env` values are used as given; `consent` (--yes)
 * generates without asking; `ask` is set when someone is at a terminal to answer.
 */
export interface SecretPolicy {
	env: Record<string, string | undefined>;
	consent: boolean;
	ask: ((question: string) => Promise<boolean>) | null;
	/** Also set READ_TOKEN (closing reads) when it is missing. */
	readToken: boolean;
}

export interface StepContext {
	wrangler: Wrangler;
	configPath: string;
	secrets: SecretPolicy;
	/** CLOUDFLARE_ACCOUNT_ID, when the environment sets one. */
	accountIdFromEnv: string | undefined;
}

export interface Step {
	name: string;
	run(ctx: StepContext, say: (message: string) => void): Promise<void>;
}

function config(ctx: StepContext): DeployConfig {
	return readDeployConfig(readFileSync(ctx.configPath, "utf8"));
}

function output(result: WranglerResult): string {
	return `${result.stdout}${result.stderr}`;
}

/** Runs wrangler and returns its result, or stops the deploy with `failure` and wrangler's output. */
async function must(ctx: StepContext, args: string[], failure: string, options?: RunOptions): Promise<WranglerResult> {
	const result = await ctx.wrangler(args, options);
	// Echoed output is on the screen already: the failure does not repeat it.
	if (result.code !== 0) throw new StepFailure(`${failure} (wrangler ${args.join(" ")} exited with ${result.code})`, options?.echo ? "" : output(result));
	return result;
}

/** The JSON wrangler printed (with --json it prints nothing else on stdout). */
function json<T>(result: WranglerResult, schema: z.ZodType<T>, what: string): T {
	const start = result.stdout.search(/[[{]/);
	try {
		return schema.parse(JSON.parse(result.stdout.slice(Math.max(start, 0))));
	} catch {
		throw new StepFailure(`could not read ${what} from wrangler's answer`, output(result));
	}
}

const Whoami = z.object({
	loggedIn: z.boolean(),
	email: z.string().optional(),
	accounts: z.array(z.object({ id: z.string(), name: z.string() })).default([]),
});

const login: Step = {
	name: "login",
	async run(ctx, say) {
		const result = await ctx.wrangler(["whoami", "--json"]);
		// Logged out, `whoami --json` prints {"loggedIn":false} and exits 1; a token it cannot use
		// gives an error instead, shown under the failure.
		const answered = result.stdout.includes("{");
		const who = answered ? json(result, Whoami, "who is logged in") : { loggedIn: false, email: undefined, accounts: [] };
		if (!who.loggedIn) {
			throw new StepFailure(
				"not logged in to Cloudflare: run `npx wrangler login` (or, unattended, set CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID), then run this again",
				answered ? "" : output(result),
			);
		}
		const accountId = ctx.accountIdFromEnv ?? config(ctx).accountId;
		if (who.accounts.length > 1 && !accountId) {
			const choices = who.accounts.map((a) => `${a.name} (${a.id})`).join(", ");
			throw new StepFailure(`you can reach several accounts (${choices}): choose one with CLOUDFLARE_ACCOUNT_ID=<id> npm run deploy`);
		}
		const account = who.accounts.find((a) => a.id === accountId) ?? who.accounts[0];
		say(`logged in${who.email ? ` as ${who.email}` : ""}${account ? `, account ${account.name} (${account.id})` : ""}`);
	},
};

const DatabaseList = z.array(z.object({ uuid: z.string(), name: z.string() }));

async function listDatabases(ctx: StepContext): Promise<z.infer<typeof DatabaseList>> {
	return json(await must(ctx, ["d1", "list", "--json"], "could not list the account's D1 databases"), DatabaseList, "the list of D1 databases");
}

/** Finds the binding's database by name, creating it when the account has none, and records its id. */
async function ensureDatabase(ctx: StepContext, db: D1Binding, existing: z.infer<typeof DatabaseList>, say: (message: string) => void): Promise<void> {
	const id = db.database_id;
	if (id && id !== PLACEHOLDER_ID) {
		if (!existing.some((d) => d.uuid === id)) {
			throw new StepFailure(
				`wrangler.toml gives ${db.binding} the database_id ${id}, which no database of this account has: ` +
					`put back ${PLACEHOLDER_ID} to have "${db.database_name}" found or created, or correct the id`,
			);
		}
		say(`${db.binding}: database "${db.database_name}" (${id}) exists; left alone`);
		return;
	}
	let found = existing.find((d) => d.name === db.database_name);
	let did = "found the existing";
	if (!found) {
		await must(ctx, ["d1", "create", db.database_name], `could not create the D1 database "${db.database_name}"`);
		found = (await listDatabases(ctx)).find((d) => d.name === db.database_name);
		if (!found) throw new StepFailure(`created the D1 database "${db.database_name}", but the account's list does not show it: run this again`);
		did = "created the";
	}
	writeFileSync(ctx.configPath, withDatabaseId(readFileSync(ctx.configPath, "utf8"), db.binding, found.uuid));
	say(`${db.binding}: ${did} database "${db.database_name}" (${found.uuid}) and recorded its id in ${ctx.configPath}`);
}

const database: Step = {
	name: "database",
	async run(ctx, say) {
		const { databases } = config(ctx);
		if (databases.length === 0) return say("wrangler.toml binds no D1 database");
		const existing = await listDatabases(ctx);
		for (const db of databases) await ensureDatabase(ctx, db, existing, say);
	},
};

const queues: Step = {
	name: "queues",
	async run(ctx, say) {
		const names = config(ctx).queues;
		if (names.length === 0) return say("wrangler.toml names no queue");
		for (const name of names) {
			// `queues info` looks the one name up; `queues list` is a table, a page at a time.
			const info = await ctx.wrangler(["queues", "info", name]);
			if (info.code === 0) {
				say(`queue "${name}" exists; left alone`);
				continue;
			}
			if (!/does not exist/.test(output(info))) throw new StepFailure(`could not look up the queue "${name}"`, output(info));
			await must(ctx, ["queues", "create", name], `could not create the queue "${name}"`);
			say(`created queue "${name}"`);
		}
	},
};

const REQUIRED_SECRETS = ["ADMIN_TOKEN", "SECRETS_KEY"] as const;

/** A fresh random value: SECRETS_KEY is the 32-byte AES key in base64 (DESIGN.md), tokens are URL-safe. */
function generate(name: string): string {
	return name === "SECRETS_KEY" ? randomBytes(32).toString("base64") : randomBytes(32).toString("base64url");
}

const SecretList = z.array(z.object({ name: z.string() }));

async function existingSecrets(ctx: StepContext, worker: string): Promise<Set<string>> {
	const result = await ctx.wrangler(["secret", "list", "--format", "json"]);
	if (result.code === 0) return new Set(json(result, SecretList, "the Worker's secret names").map((s) => s.name));
	// Before the first deploy there is no Worker, and so no secret.
	if (new RegExp(`Worker "${worker}".* not found`).test(output(result))) return new Set();
	throw new StepFailure(`could not list the secrets of the Worker "${worker}"`, output(result));
}

interface NewSecret {
	name: string;
	value: string;
	generated: boolean;
}

/** A value for each missing secret, all decided before any is set, so a refusal leaves nothing half done. */
async function valuesFor(missing: string[], policy: SecretPolicy, worker: string): Promise<NewSecret[]> {
	const values: NewSecret[] = [];
	for (const name of missing) {
		const given = policy.env[name];
		if (given) {
			values.push({ name, value: given, generated: false });
			continue;
		}
		const howToSetIt = `\`npm run deploy -- --yes\` generates it, or set ${name} in the environment, or run \`npx wrangler secret put ${name}\` first`;
		if (!policy.consent) {
			if (!policy.ask) throw new StepFailure(`${name} is not set on the Worker "${worker}" and there is no terminal to ask: ${howToSetIt}`);
			if (!(await policy.ask(`${name} is not set on the Worker "${worker}". Generate a random one? [Y/n] `))) {
				throw new StepFailure(`${name} is not set on the Worker "${worker}": ${howToSetIt}`);
			}
		}
		values.push({ name, value: generate(name), generated: true });
	}
	return values;
}

const secrets: Step = {
	name: "secrets",
	async run(ctx, say) {
		const { worker } = config(ctx);
		const existing = await existingSecrets(ctx, worker);
		const wanted: string[] = [...REQUIRED_SECRETS, ...(ctx.secrets.readToken ? ["READ_TOKEN"] : [])];
		const present = wanted.filter((name) => existing.has(name));
		if (present.length > 0) say(`${present.join(", ")} already set; left alone`);
		for (const secret of await valuesFor(
			wanted.filter((name) => !existing.has(name)),
			ctx.secrets,
			worker,
		)) {
			// The value goes through stdin only; wrangler's own output never contains it.
			await must(ctx, ["secret", "put", secret.name], `could not set ${secret.name}`, { input: secret.value });
			if (!secret.generated) say(`${secret.name} set from the environment`);
			else if (secret.name === "SECRETS_KEY") say("SECRETS_KEY set to 32 new random bytes (never shown: it stays on Cloudflare)");
			else say(`${secret.name} set to a new random value, shown this once; keep it where your team keeps secrets:\n\n    ${secret.value}\n`);
		}
		if (!ctx.secrets.readToken && !existing.has("READ_TOKEN")) say("READ_TOKEN not set: reads are public (`--read-token` sets one)");
	},
};

const migrations: Step = {
	name: "migrations",
	async run(ctx, say) {
		for (const { binding } of config(ctx).databases) {
			const applied = await must(ctx, ["d1", "migrations", "apply", binding, "--remote"], `the migrations of ${binding} failed; the code was not deployed`, {
				echo: true,
			});
			// wrangler can exit 0 with a migration left unapplied (one it counts as unsuccessful
			// without an error message); the code goes out only when none is left.
			const left = await must(ctx, ["d1", "migrations", "list", binding, "--remote"], `could not check the migrations of ${binding}`);
			if (!/No migrations to apply/.test(left.stdout)) {
				throw new StepFailure(`${binding} still has migrations to apply after \`migrations apply\`; the code was not deployed`, output(left));
			}
			say(/No migrations to apply/.test(applied.stdout) ? `${binding}: already up to date` : `${binding}: applied; none left`);
		}
	},
};

const code: Step = {
	name: "deploy",
	async run(ctx, say) {
		const result = await must(ctx, ["deploy"], "wrangler deploy failed", { echo: true });
		const url = /https:\/\/\S+\.workers\.dev/.exec(result.stdout)?.[0];
		say(url ? `deployed to ${url}` : "deployed");
		const appUrl = config(ctx).appUrl;
		if (!appUrl?.startsWith("https://")) {
			say(`APP_URL in wrangler.toml is ${appUrl ?? "unset"}: set it to the Worker's https address${url ? ` (${url})` : ""} and deploy again (docs/deploy.md)`);
		}
	},
};

/** login → database → queues → secrets → migrations → deploy: the code goes out last, after its migrations. */
export const STEPS: readonly Step[] = [login, database, queues, secrets, migrations, code];
