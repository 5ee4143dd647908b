import { applyD1Migrations, env } from "cloudflare:test";

// Storage is shared by every test in a file; each test makes its own data.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
