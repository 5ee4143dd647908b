// Milestones and the history of their due dates.
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, instant, translations } from "./columns";

export const MILESTONE_KINDS = ["deadline", "event"] as const;
export const MILESTONE_STATUSES = ["scheduled", "met", "missed", "cancelled"] as const;
/**
 * What an admin can say happened (POST /api/milestones/:id/outcome). `postponed` is a slip, not a
 * state: only met, missed and held stay on the milestone, and held counts as met in `status`.
 */
export const OUTCOME_STATUSES = ["met", "missed", "held", "postponed"] as const;
export const RECORDED_OUTCOMES = ["met", "missed", "held"] as const;
export const PRECISIONS = ["year", "quarter", "month", "day", "instant"] as const;

export const milestones = sqliteTable(
	"milestones",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		slug: text("slug").notNull().unique(),
		title: text("title").notNull(),
		/** The title in Arabic and Sorani, where someone wrote them; `title` is the original. */
		titleI18n: translations("title_i18n"),
		description: text("description").notNull().default(""),
		tags: text("tags", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
		kind: text("kind", { enum: MILESTONE_KINDS }).notNull().default("deadline"),
		/** `due` exactly as written ("2025-09", "2025-Q3", an RFC 3339 instant...). */
		due: text("due").notNull(),
		precision: text("precision", { enum: PRECISIONS }).notNull(),
		timezone: text("timezone").notNull(),
		/** The UTC instant alerts count down to, derived from due, kind and timezone. */
		dueAt: instant("due_at").notNull(),
		status: text("status", { enum: MILESTONE_STATUSES }).notNull().default("scheduled"),
		alertOffsets: text("alert_offsets", { mode: "json" }).$type<string[]>().notNull(),
		sourceUrl: text("source_url"),
		slipCount: integer("slip_count").notNull().default(0),
		/** The outcome recorded last (its history is milestone_outcomes); null while none is, or after the milestone was reopened. */
		outcome: text("outcome", { enum: RECORDED_OUTCOMES }),
		outcomeNote: text("outcome_note"),
		outcomeSourceUrl: text("outcome_source_url"),
		outcomeAt: instant("outcome_at"),
		/**
		 * The iCalendar SEQUENCE: raised by one, in the same UPDATE, by every edit that changes what a
		 * calendar shows (date, title, status, text, alarms); never lowered, so clients always take the newest.
		 */
		sequence: integer("sequence").notNull().default(0),
		/** When the sweep must next look at this milestone (a threshold, overdue, a reminder); null: never. */
		nextCheckAt: instant("next_check_at"),
		createdAt: createdAt(),
		updatedAt: instant("updated_at").notNull(),
	},
	(t) => [
		index("milestones_status_due_at").on(t.status, t.dueAt, t.id),
		index("milestones_due_at").on(t.dueAt, t.id),
		index("milestones_next_check").on(t.nextCheckAt),
		// /status lists the outcomes recorded lately.
		index("milestones_outcome_at").on(t.outcomeAt),
	],
);

/** Every change of a milestone's due_at: its history, and the slip alerts' work queue. */
export const milestoneRevisions = sqliteTable(
	"milestone_revisions",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		milestoneId: integer("milestone_id")
			.notNull()
			.references(() => milestones.id),
		oldDue: text("old_due").notNull(),
		newDue: text("new_due").notNull(),
		oldDueAt: instant("old_due_at").notNull(),
		newDueAt: instant("new_due_at").notNull(),
		reason: text("reason"),
		createdAt: createdAt(),
	},
	(t) => [index("milestone_revisions_milestone").on(t.milestoneId, t.id), index("milestone_revisions_created").on(t.createdAt)],
);

/** Every outcome posted, corrections and postponements included: a milestone keeps only its latest. */
export const milestoneOutcomes = sqliteTable(
	"milestone_outcomes",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		milestoneId: integer("milestone_id")
			.notNull()
			.references(() => milestones.id),
		status: text("status", { enum: OUTCOME_STATUSES }).notNull(),
		note: text("note").notNull(),
		sourceUrl: text("source_url"),
		/** The new due as written, for a postponement; null otherwise. */
		due: text("due"),
		createdAt: createdAt(),
	},
	(t) => [index("milestone_outcomes_milestone").on(t.milestoneId, t.id)],
);

export type MilestoneRow = typeof milestones.$inferSelect;
export type MilestoneOutcomeRow = typeof milestoneOutcomes.$inferSelect;
export type MilestoneRevisionRow = typeof milestoneRevisions.$inferSelect;
