import { applyD1Migrations, env } from "cloudflare:test";
import fc from "fast-check";
import { vi } from "vitest";
import { propertyRuns, timeoutFor } from "./support/runs";

// Storage is shared by every test in a file; each test makes its own data.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);

// Properties that name no size of their own try fast-check's 100 cases, or PROPERTY_RUNS; and a
// test's time limit grows with them (30 s at least, see timeoutFor). Suites that take longer per case than
// a pure property set a timeout of their own from their size.
fc.configureGlobal({ numRuns: propertyRuns() });
vi.setConfig({ testTimeout: timeoutFor(propertyRuns(), 50) });
