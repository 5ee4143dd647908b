// The record of every Cron Trigger run.
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { instant } from "./columns";

/** One row per scheduled() invocation: what ran, when, what it did, how it ended. */
export const cronRuns = sqliteTable(
	"cron_runs",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		cron: text("cron").notNull(),
		job: text("job").notNull(),
		scheduledTime: instant("scheduled_time").notNull(),
		startedAt: instant("started_at").notNull(),
		finishedAt: instant("finished_at"),
		counts: text("counts", { mode: "json" }).$type<Record<string, number>>(),
		error: text("error"),
	},
	(t) => [index("cron_runs_job_started").on(t.job, t.startedAt)],
);

export type CronRunRow = typeof cronRuns.$inferSelect;
