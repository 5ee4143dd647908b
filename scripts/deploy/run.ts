/**
 * The deploy as a function, so it runs the same from the command line and in tests: each step in
 * order, one line per thing it did, and at the first failure the step's name, the reason and
 * wrangler's output, and nothing after it.
 */
import { type SecretPolicy, STEPS, StepFailure } from "./steps";
import { type Environment, wranglerFor } from "./wrangler";

export interface DeployOptions {
	/** The wrangler.toml to deploy (and to record a new database id in). */
	configPath: string;
	/** Where wrangler is looked up (PATH) and what it reads (CLOUDFLARE_API_TOKEN, …). */
	env: Environment;
	secrets: SecretPolicy;
	print: (line: string) => void;
}

/** Runs every step; false when one failed (it has said which and why). */
export async function deploy(options: DeployOptions): Promise<boolean> {
	const { print } = options;
	const ctx = {
		wrangler: wranglerFor(options.configPath, options.env, print),
		configPath: options.configPath,
		secrets: options.secrets,
		accountIdFromEnv: options.env.CLOUDFLARE_ACCOUNT_ID || undefined,
	};
	for (const [i, step] of STEPS.entries()) {
		const label = `[deploy] ${i + 1}/${STEPS.length} ${step.name}`;
		try {
			await step.run(ctx, (message) => print(`${label}: ${message}`));
		} catch (e) {
			print(`${label} FAILED: ${e instanceof Error ? e.message : String(e)}`);
			const output = e instanceof StepFailure ? e.output.trim() : "";
			if (output) print(output.replace(/^/gm, "    "));
			print(`[deploy] stopped at step ${i + 1}/${STEPS.length} (${step.name}); nothing after it ran. Fix the cause and run it again: what is done stays done.`);
			return false;
		}
	}
	print("[deploy] done: Vigil is deployed. docs/deploy.md says what to check next.");
	return true;
}
