import type { D1Migration } from "cloudflare:test";
import type { Env as WorkerEnv } from "../worker/env";

declare global {
	namespace Cloudflare {
		interface GlobalProps {
			mainModule: typeof import("../worker/index");
		}
		interface Env extends WorkerEnv {
			TEST_MIGRATIONS: D1Migration[];
			WRANGLER_CRONS: string[];
			/** The queues wrangler.toml consumes (`[[queues.consumers]]`). */
			WRANGLER_QUEUE_CONSUMERS: string[];
			/** A producer of the ingest queue (vigil-ingest), for the tests of queued mode. */
			TEST_INGEST_QUEUE: Queue;
			/** Test sizes from the shell, read by test/support/runs.ts ("" when unset). */
			FUZZ_RUNS: string;
			PROPERTY_RUNS: string;
			FUZZ_SEED: string;
		}
	}
}
