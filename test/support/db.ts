// The test's database handle: drizzle over the D1 binding the Worker itself uses, with the
// schema for typed queries. Every suite and fixture takes this one; storage is shared by the
// tests of one file, so each test writes rows of its own (unique slugs, windows, zones).
import { env } from "cloudflare:test";
import { createDb } from "../../worker/db/client";

export const db = createDb(env.DB);
