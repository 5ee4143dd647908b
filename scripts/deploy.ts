/**
 * `npm run deploy`: from a Cloudflare account to a running Vigil, and after that each update.
 * Checks the login, finds or creates the D1 database (recording its id in wrangler.toml) and the
 * queues wrangler.toml names, sets the missing secrets, applies the migrations remotely, then
 * deploys the code. Run again, it changes nothing but the code. docs/deploy.md has the details.
 *
 *   npm run deploy [-- --yes] [--read-token] [--config path/to/wrangler.toml]
 */
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { deploy } from "./deploy/run";

const USAGE = `usage: npm run deploy -- [options]
  --yes, -y         generate the missing secrets without asking (unattended runs)
  --read-token      also set READ_TOKEN when it is missing, which closes reads
  --config <path>   the wrangler.toml to deploy (default: wrangler.toml)
A missing ADMIN_TOKEN, SECRETS_KEY or READ_TOKEN is taken from the environment variable of that
name when it is set. With CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID set, no login is needed.`;

async function ask(question: string): Promise<boolean> {
	const rl = createInterface({ input: process.stdin, output: process.stdout });
	try {
		return /^(y|yes|)$/i.test((await rl.question(question)).trim());
	} finally {
		rl.close();
	}
}

async function main(): Promise<number> {
	let values: { yes?: boolean; "read-token"?: boolean; config?: string; help?: boolean };
	try {
		({ values } = parseArgs({
			options: {
				yes: { type: "boolean", short: "y" },
				"read-token": { type: "boolean" },
				config: { type: "string" },
				help: { type: "boolean", short: "h" },
			},
		}));
	} catch (e) {
		console.error(`${e instanceof Error ? e.message : e}\n${USAGE}`);
		return 2;
	}
	if (values.help) {
		console.log(USAGE);
		return 0;
	}
	// CI runners may give a TTY; nobody is there to answer it.
	const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY && !process.env.CI);
	const ok = await deploy({
		configPath: values.config ?? "wrangler.toml",
		env: process.env,
		secrets: { env: process.env, consent: values.yes === true, ask: interactive ? ask : null, readToken: values["read-token"] === true },
		print: (line) => console.log(line),
	});
	return ok ? 0 : 1;
}

main().then(
	(code) => {
		process.exitCode = code;
	},
	(e) => {
		console.error(`[deploy] ${e instanceof Error ? e.message : e}`);
		process.exitCode = 1;
	},
);
