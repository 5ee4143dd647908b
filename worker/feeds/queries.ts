import { asc } from "drizzle-orm";
import type { Db } from "../db/client";
import { hasAnyOf } from "../db/lookup";
import { type MilestoneRow, milestones } from "../db/schema";

/** A calendar feed this long is already more than any calendar app shows usefully. */
export const CALENDAR_MILESTONES = 2000;

/** Every milestone (cancelled ones too, so calendars drop them), by due date; with `tags`, those with any of them. */
export function feedMilestones(db: Db, tags: readonly string[] = []): Promise<MilestoneRow[]> {
	return db.select().from(milestones).where(hasAnyOf(milestones.tags, tags)).orderBy(asc(milestones.dueAt), asc(milestones.id)).limit(CALENDAR_MILESTONES);
}
