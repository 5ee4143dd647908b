import type { MilestoneRow } from "../db/schema";

/** Where a milestone stands at `now`: its status, except that a scheduled one past due is overdue (a deadline) or awaiting its outcome (an event). */
export const MILESTONE_STATES = ["scheduled", "overdue", "awaiting_outcome", "met", "missed", "cancelled"] as const;
export type MilestoneState = (typeof MILESTONE_STATES)[number];

export function milestoneState(row: Pick<MilestoneRow, "status" | "kind" | "dueAt">, now: Date): MilestoneState {
	// Due exactly now is still "next" on /status (due_at >= now), as here.
	if (row.status !== "scheduled" || row.dueAt.getTime() >= now.getTime()) return row.status;
	return row.kind === "event" ? "awaiting_outcome" : "overdue";
}

/** How an outcome reads in a title, a calendar or a feed. */
export const OUTCOME_LABELS: Record<NonNullable<MilestoneRow["outcome"]>, string> = { met: "Met", missed: "Missed", held: "Held" };
