// How many cases each fast-check property tries. Every property has a size of its own, chosen
// to keep `npm test` quick; for a deeper run, FUZZ_RUNS replaces the sizes of the hostile-input
// suites and PROPERTY_RUNS those of every other property (`FUZZ_RUNS=10000 npm test`).
// Tests run inside workerd, which cannot see the shell's environment: vitest.config.ts passes
// these variables in as bindings, and this is the one place that reads them.
import { env } from "cloudflare:test";

function integer(name: string, value: string | undefined, min: number): number | undefined {
	if (!value) return undefined;
	const n = Number(value);
	if (!Number.isSafeInteger(n) || n < min) throw new Error(`${name} must be a whole number of at least ${min}, not ${JSON.stringify(value)}`);
	return n;
}

const FUZZ_RUNS = integer("FUZZ_RUNS", env.FUZZ_RUNS, 1);
const PROPERTY_RUNS = integer("PROPERTY_RUNS", env.PROPERTY_RUNS, 1);

/** Cases for a hostile-input (fuzz) property: FUZZ_RUNS when set, else `size`. */
export const fuzzRuns = (size: number): number => FUZZ_RUNS ?? size;

/** Cases for any other property: PROPERTY_RUNS when set, else `size` (fast-check's own 100 by default). */
export const propertyRuns = (size = 100): number => PROPERTY_RUNS ?? size;

/** The fuzz suites' seed: FUZZ_SEED replays the run a failure report names; otherwise a new one each run. */
export const fuzzSeed: number = integer("FUZZ_SEED", env.FUZZ_SEED, -(2 ** 31)) ?? Date.now() % 2 ** 31;

/**
 * A test's timeout for `runs` cases of at most `msEach` each, and never under 30 s: a timeout
 * catches a hang, not slowness (the bench measures speed), and a loaded two-core machine is slow.
 */
export const timeoutFor = (runs: number, msEach: number): number => Math.max(30_000, runs * msEach);
