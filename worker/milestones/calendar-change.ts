import type { MilestoneRow } from "../db/schema";

/** What a calendar shows of a milestone: DTSTART, SUMMARY, STATUS, DESCRIPTION (with the outcome), CATEGORIES, URL and the VALARMs. */
export type ShownFields = Pick<
	MilestoneRow,
	| "dueAt"
	| "due"
	| "kind"
	| "timezone"
	| "title"
	| "status"
	| "description"
	| "tags"
	| "alertOffsets"
	| "sourceUrl"
	| "slug"
	| "outcome"
	| "outcomeNote"
	| "outcomeSourceUrl"
>;

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Whether an edit changes what a calendar shows of the milestone, so its SEQUENCE must go up
 * (RFC 5545 3.8.7.4). An edit that writes the same values changes nothing a client would see.
 */
export function changesCalendar(before: ShownFields, after: ShownFields): boolean {
	return (
		before.dueAt.getTime() !== after.dueAt.getTime() ||
		before.due !== after.due ||
		before.kind !== after.kind ||
		before.timezone !== after.timezone ||
		before.title !== after.title ||
		before.status !== after.status ||
		before.description !== after.description ||
		before.sourceUrl !== after.sourceUrl ||
		before.slug !== after.slug ||
		before.outcome !== after.outcome ||
		before.outcomeNote !== after.outcomeNote ||
		before.outcomeSourceUrl !== after.outcomeSourceUrl ||
		!sameList(before.tags, after.tags) ||
		!sameList(before.alertOffsets, after.alertOffsets)
	);
}
