/**
 * Alert keys, one format for the planner and the ledger: `kind:subject:due_at:offset`
 * (subject `m<milestone id>`, `z<zone id>` or `-`; due_at in epoch ms). The planner asks whether
 * the ledger holds an alert key; the ledger's unique dedupe_key is that key plus `:recipient`, so
 * each alert is enqueued once per recipient however many runs overlap.
 */
import type { AlertRow } from "../db/schema";

/** What an alert says, without whom it goes to. */
export interface AlertSubject {
	kind: AlertRow["kind"];
	milestoneId: number | null;
	/** Only surges name a zone. */
	zoneId?: number | null;
	/** The due_at snapshot in epoch ms: a slip changes it, so every threshold is armed again. */
	dueAt: number | null;
	offset: string | null;
}

/** The key of what an alert says (any recipient): what the planner looks for in the ledger. */
export function alertKey(a: AlertSubject): string {
	const subject = a.milestoneId !== null ? `m${a.milestoneId}` : a.zoneId != null ? `z${a.zoneId}` : "-";
	return [a.kind, subject, a.dueAt ?? "", a.offset ?? ""].join(":");
}

/**
 * The key under which the planner's ledger state records an acknowledgement: the milestone's
 * reminders for this due date (epoch ms) are done with.
 */
export function ackKey(milestoneId: number, dueAt: number): string {
	return `ack:m${milestoneId}:${dueAt}`;
}

/** The ledger's dedupe_key: the alert key and the recipient (a subscriber's address, lowercased when they subscribed). */
export function dedupeKey(a: AlertSubject & { recipient: string }): string {
	return `${alertKey(a)}:${a.recipient}`;
}
