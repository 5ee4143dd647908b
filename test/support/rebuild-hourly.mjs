// Tools that insert incidents straight into D1 with plain SQL (the bench's seed, the browser test's
// data) bypass worker/db/hourly.ts, which keeps incident_hourly in the batch of every write the
// Worker makes. They run this afterwards: the migration's own rebuild of the table, read from the
// migration file so the grouping is written once.
import { readFileSync } from "node:fs";

const migration = readFileSync(new URL("../../migrations/0007_incident_hourly_kept_by_writes.sql", import.meta.url), "utf8");

/** The migration's DELETE and INSERT … GROUP BY of incident_hourly, comments dropped, one statement a line (D1's exec runs a line at a time). */
export const REBUILD_HOURLY = migration
	.split("--> statement-breakpoint")
	.map((part) =>
		part
			.split("\n")
			.filter((line) => !line.startsWith("--"))
			.join(" ")
			.replace(/\s+/g, " ")
			.trim(),
	)
	.filter((sql) => sql.startsWith("DELETE FROM `incident_hourly`") || sql.startsWith("INSERT INTO `incident_hourly`"))
	.join("\n");

if (!REBUILD_HOURLY.includes("GROUP BY")) throw new Error("the incident_hourly migration no longer has its rebuild");
