import { asc } from "drizzle-orm";
import type { Db } from "../db/client";
import { type MilestoneRow, milestones } from "../db/schema";

/** A calendar feed this long is already more than any calendar app shows usefully. */
export const CALENDAR_MILESTONES = 2000;

/** Every milestone (cancelled ones too, so calendars drop them), by due date. */
export function feedMilestones(db: Db): Promise<MilestoneRow[]> {
	return db.select().from(milestones).orderBy(asc(milestones.dueAt), asc(milestones.id)).limit(CALENDAR_MILESTONES);
}
