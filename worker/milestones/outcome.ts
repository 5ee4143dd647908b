/**
 * Outcomes: what an admin says happened to a milestone once its date came. `met`, `missed` and
 * `held` close it (held counts as met in `status`; a deadline is met or missed, never held);
 * `postponed` is a slip to a later `due` whose reason is the note, and reopens it. Posting again
 * corrects the outcome; every post is kept in milestone_outcomes.
 */
import { and, eq, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { type MilestoneRow, milestoneOutcomes, milestones } from "../db/schema";
import { AppError } from "../http/errors";
import { byIdAfter, paginateById } from "../http/pagination";
import { changesCalendar } from "./calendar-change";
import { getMilestone, nextSequence, updateMilestone } from "./queries";
import type { RecordOutcomeInput } from "./schema";

/** The history row of this post, written only where `won` holds (the guarded update of the same batch took). */
function historyRow(db: Db, input: RecordOutcomeInput, won: SQL) {
	return db.insert(milestoneOutcomes).select(
		db
			.select({
				id: sql`NULL`.as("id"),
				milestoneId: milestones.id,
				status: sql`${input.status}`.as("status"),
				note: sql`${input.note}`.as("note"),
				sourceUrl: sql`${input.source_url ?? null}`.as("source_url"),
				due: sql`${input.due ?? null}`.as("due"),
				createdAt: milestones.updatedAt,
			})
			.from(milestones)
			.where(won),
	);
}

/** Records an outcome (or a postponement) and answers the milestone as it now is. */
export async function recordOutcome(db: Db, idOrSlug: string, input: RecordOutcomeInput, now: Date): Promise<MilestoneRow> {
	const current = await getMilestone(db, idOrSlug);
	if (current.status === "cancelled") {
		throw new AppError("conflict", 'This milestone is cancelled; set status to "scheduled" to reopen it before recording an outcome.');
	}
	if (input.status === "postponed") {
		const due = input.due as string; // the schema refuses a postponement without one
		return updateMilestone(db, String(current.id), { due, reason: input.note, status: "scheduled" }, now, { also: (won) => historyRow(db, input, won) });
	}
	if (input.status === "held" && current.kind === "deadline") {
		const message = "a deadline is met or missed; held is for events";
		throw new AppError("validation_failed", `The outcome does not fit this milestone: /status ${message}`, { errors: [{ path: "/status", message }] });
	}
	const changes = {
		status: input.status === "missed" ? ("missed" as const) : ("met" as const),
		outcome: input.status,
		outcomeNote: input.note,
		outcomeSourceUrl: input.source_url ?? null,
		outcomeAt: now,
		// Closed: the sweep has nothing more to say about it.
		nextCheckAt: null,
		updatedAt: now,
	};
	const sequence = changesCalendar(current, { ...current, ...changes }) ? { sequence: nextSequence } : {};
	const [updated] = await db.batch([
		db
			.update(milestones)
			.set({ ...changes, ...sequence })
			.where(and(eq(milestones.id, current.id), eq(milestones.updatedAt, current.updatedAt)))
			.returning(),
		historyRow(db, input, and(eq(milestones.id, current.id), eq(milestones.updatedAt, now)) as SQL),
	]);
	const row = updated[0];
	if (!row) throw new AppError("conflict", "The milestone changed while the outcome was recorded; fetch it and try again.");
	return row;
}

/** Every outcome posted for a milestone, newest first. */
export async function listOutcomes(db: Db, idOrSlug: string, limit: number, cursorText: string | undefined) {
	const milestone = await getMilestone(db, idOrSlug);
	const { after, orderBy } = byIdAfter(milestoneOutcomes.id, cursorText, "desc");
	const rows = await db
		.select()
		.from(milestoneOutcomes)
		.where(and(eq(milestoneOutcomes.milestoneId, milestone.id), after))
		.orderBy(orderBy)
		.limit(limit + 1);
	return paginateById(rows, limit);
}
