/**
 * Acknowledging an overdue alert or reminder: its milestone gets no more reminders for that due
 * date. The acknowledgement is keyed by milestone and due_at, so a slip (a new due_at) re-arms the
 * reminders; the first acknowledgement stays, and acknowledging again changes nothing.
 */
import { and, eq, inArray, isNull, lte, or } from "drizzle-orm";
import type { Db } from "../db/client";
import { type AlertAckRow, type AlertRow, alertAcks, alerts, type MilestoneRow, milestones } from "../db/schema";
import { AppError } from "../http/errors";

/** An alert that may be acknowledged, its milestone, and the acknowledgement already made, if any. */
export interface AckTarget {
	alert: AlertRow & { milestoneId: number; dueAt: Date };
	milestone: MilestoneRow;
	ack: AlertAckRow | null;
}

/** Who acknowledges: the alert's own recipient (through its link), or an admin (through the API). */
export type Acknowledger = "recipient" | "admin";

/**
 * The alert `id` as something to acknowledge: 404 when there is no such alert, 409 when it is
 * not an overdue alert or reminder, 410 when the due date it was about is no longer the
 * milestone's (it slipped, or the milestone was settled).
 */
export async function ackTarget(db: Db, id: number): Promise<AckTarget> {
	const alert = await db.query.alerts.findFirst({ where: eq(alerts.id, id) });
	if (!alert) throw new AppError("not_found", `No alert ${id}.`);
	const { milestoneId, dueAt } = alert;
	if (alert.kind !== "overdue" || milestoneId === null || dueAt === null) {
		throw new AppError("conflict", `Alert ${id} is a ${alert.kind} alert: only overdue alerts and reminders can be acknowledged.`);
	}
	const [milestone, ack] = await Promise.all([
		db.query.milestones.findFirst({ where: eq(milestones.id, milestoneId) }),
		db.query.alertAcks.findFirst({ where: and(eq(alertAcks.milestoneId, milestoneId), eq(alertAcks.dueAt, dueAt)) }),
	]);
	if (!milestone) throw new AppError("not_found", `No alert ${id}.`);
	if (milestone.status !== "scheduled") throw new AppError("gone", `This alert's milestone is ${milestone.status}: there is nothing left to acknowledge.`);
	if (milestone.dueAt.getTime() !== dueAt.getTime()) {
		throw new AppError("gone", `This alert was for the due date ${dueAt.toISOString()}; the milestone is now due ${milestone.dueAt.toISOString()}.`);
	}
	return { alert: { ...alert, milestoneId, dueAt }, milestone, ack: ack ?? null };
}

/**
 * Acknowledges the target's milestone for its due date, once: a later call returns the first
 * acknowledgement. In the same batch, reminders for that due date still waiting to be sent (and
 * held by no run) are dropped: they would say what the acknowledger already knows.
 */
export async function acknowledge(db: Db, target: AckTarget, who: Acknowledger, now: Date): Promise<AlertAckRow> {
	if (target.ack) return target.ack;
	const { alert } = target;
	const byKind = who === "admin" ? "admin" : alert.subscriberId !== null ? "subscriber" : "channel";
	const where = and(eq(alertAcks.milestoneId, alert.milestoneId), eq(alertAcks.dueAt, alert.dueAt));
	const [, , [ack]] = await db.batch([
		db
			.insert(alertAcks)
			.values({ milestoneId: alert.milestoneId, dueAt: alert.dueAt, alertId: alert.id, byKind, by: who === "admin" ? null : alert.recipient, ackedAt: now })
			.onConflictDoNothing(),
		db
			.delete(alerts)
			.where(
				and(
					eq(alerts.milestoneId, alert.milestoneId),
					eq(alerts.dueAt, alert.dueAt),
					eq(alerts.kind, "overdue"),
					eq(alerts.status, "pending"),
					or(isNull(alerts.leaseUntil), lte(alerts.leaseUntil, now)),
				),
			),
		db.select().from(alertAcks).where(where),
	]);
	if (!ack) throw new Error("the acknowledgement was not written");
	return ack;
}

/** The acknowledgements of these milestones, any due date (for the planner's ledger state). */
export function acksOf(db: Db, milestoneIds: readonly number[]) {
	return db
		.select({ milestoneId: alertAcks.milestoneId, dueAt: alertAcks.dueAt })
		.from(alertAcks)
		.where(inArray(alertAcks.milestoneId, [...milestoneIds]));
}
