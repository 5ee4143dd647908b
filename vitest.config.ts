import { readFileSync } from "node:fs";
import { stripVTControlCharacters } from "node:util";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { parse } from "smol-toml";
import { defineConfig } from "vitest/config";

// Tests run inside workerd against a real local D1; migrations are applied in test/setup.ts.
const migrations = await readD1Migrations("migrations");
const wrangler = parse(readFileSync("wrangler.toml", "utf8")) as { triggers?: { crons?: string[] }; queues?: { consumers?: { queue: string }[] } };

export default defineConfig({
	plugins: [
		cloudflareTest({
			wrangler: { configPath: "./wrangler.toml" },
			miniflare: {
				// A producer for the ingest queue under another name than INGEST_QUEUE, so the suite's webhooks
				// stay direct; the queued tests bind it as INGEST_QUEUE in a copy of env (test/support/queue.ts).
				queueProducers: { TEST_INGEST_QUEUE: { queueName: "vigil-ingest" } },
				bindings: {
					TEST_MIGRATIONS: migrations,
					WRANGLER_CRONS: wrangler.triggers?.crons ?? [],
					WRANGLER_QUEUE_CONSUMERS: (wrangler.queues?.consumers ?? []).map((c) => c.queue),
					ADMIN_TOKEN: "test-admin-token",
					SECRETS_KEY: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
					APP_URL: "https://vigil.test",
					// Telegram's Bot API as the channel tests' fake receiver answers it (test/support/receivers.ts).
					TELEGRAM_API_URL: "https://telegram.test",
					// Tests read /status right after writing: no reuse (test/status/cache.test.ts turns it on).
					STATUS_CACHE_SECONDS: "0",
					// Deeper fuzz and property runs (`FUZZ_RUNS=10000 npm test`): workerd has no process.env of
					// the shell, so they travel as bindings; test/support/runs.ts reads them. Empty: each suite's own size.
					FUZZ_RUNS: process.env.FUZZ_RUNS ?? "",
					PROPERTY_RUNS: process.env.PROPERTY_RUNS ?? "",
					FUZZ_SEED: process.env.FUZZ_SEED ?? "",
				},
			},
		}),
	],
	test: {
		include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
		exclude: ["test/e2e/**", "test/bench/**", "test/node/**"],
		setupFiles: ["./test/setup.ts"],
		// The Worker's structured log entries (worker/log.ts: one object with an `event`, printed over
		// many lines here) would bury the report; tests that check them capture console.log themselves.
		onConsoleLog: (log) => !/^\{\s*event: '[^']+'/.test(stripVTControlCharacters(log)),
		// CI asks for a JSON report too, to print how many tests ran.
		reporters: process.env.VITEST_JSON_REPORT ? ["default", ["json", { outputFile: process.env.VITEST_JSON_REPORT }]] : ["default"],
	},
});
