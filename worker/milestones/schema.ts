import { z } from "@hono/zod-openapi";
import {
	MILESTONE_KINDS,
	MILESTONE_STATUSES,
	type MilestoneOutcomeRow,
	type MilestoneRevisionRow,
	type MilestoneRow,
	OUTCOME_STATUSES,
	PRECISIONS,
	RECORDED_OUTCOMES,
} from "../db/schema";
import { DateOrInstant, HttpUrl, Label, LongText, listOf, Page, Slug, Tag, Timestamp, Translated } from "../http/schemas";
import { describeDue } from "../time/due";
import { MILESTONE_STATES, milestoneState } from "./state";

const Due = z.string().min(4).max(40).openapi({
	description: "As written: `2025`, `2025-Q3`, `2025-09`, `2025-11-11`, or an RFC 3339 date-time",
	example: "2025-09",
});
const TimeZone = z.string().min(1).max(64).openapi({ description: "IANA time zone", example: "Asia/Baghdad" });
const Offset = z.string().min(2).max(32).openapi({ description: "ISO 8601 duration before due_at", example: "P7D" });

const editable = {
	title: Label(200),
	title_i18n: Translated(200),
	due: Due,
	kind: z.enum(MILESTONE_KINDS),
	timezone: TimeZone,
	description: LongText(4000),
	tags: z.array(Tag).max(20),
	alert_offsets: z.array(Offset).min(1).max(10),
	source_url: HttpUrl.nullable(),
};

export const CreateMilestone = z
	.object({
		...editable,
		title_i18n: editable.title_i18n.optional(),
		kind: editable.kind.optional(),
		timezone: editable.timezone.optional(),
		description: editable.description.optional(),
		tags: editable.tags.optional(),
		alert_offsets: editable.alert_offsets.optional(),
		source_url: editable.source_url.optional(),
		slug: Slug.optional(),
	})
	.strict()
	.openapi("CreateMilestone", {
		example: {
			title: "US-led coalition leaves Ain al-Asad and Camp Victory",
			title_i18n: { ar: "انسحاب التحالف بقيادة الولايات المتحدة من عين الأسد ومعسكر فيكتوري" },
			due: "2025-09",
			kind: "deadline",
			timezone: "Asia/Baghdad",
			tags: ["withdrawal", "iraq"],
		},
	});

export const UpdateMilestone = z
	.object({
		title: editable.title,
		title_i18n: editable.title_i18n,
		due: editable.due,
		kind: editable.kind,
		timezone: editable.timezone,
		description: editable.description,
		tags: editable.tags,
		alert_offsets: editable.alert_offsets,
		source_url: editable.source_url,
		slug: Slug,
		status: z.enum(MILESTONE_STATUSES),
		reason: LongText(1000).openapi({ description: "Why the due date changed; kept in the revision" }),
	})
	.partial()
	.strict()
	.refine((v) => Object.keys(v).length > 0, "give at least one field to change")
	.openapi("UpdateMilestone", { example: { due: "2026-09", reason: "Second phase postponed by the joint commission" } });

export const Outcome = z
	.object({
		status: z.enum(RECORDED_OUTCOMES),
		note: z.string(),
		source_url: z.string().nullable(),
		at: Timestamp,
	})
	.openapi("Outcome", { description: "The outcome recorded last; null while none is, and after the milestone is reopened or postponed" });

export const RecordOutcome = z
	.object({
		status: z.enum(OUTCOME_STATUSES),
		note: LongText(1000).trim().min(1, "must not be empty").openapi({ description: "What happened; for a postponement, the slip's reason" }),
		source_url: HttpUrl.optional(),
		due: Due.optional().openapi({ description: "The new due date: required with `postponed`, refused otherwise" }),
	})
	.strict()
	.superRefine((v, ctx) => {
		if (v.status === "postponed" && v.due === undefined) ctx.addIssue({ code: "custom", path: ["due"], message: "a postponement needs the new due date" });
		if (v.status !== "postponed" && v.due !== undefined) ctx.addIssue({ code: "custom", path: ["due"], message: "only a postponement takes a new due date" });
	})
	.openapi("RecordOutcome", {
		example: { status: "held", note: "Polls opened on time; turnout 56%", source_url: "https://example.org/ihec-turnout" },
	});

export const Milestone = z
	.object({
		id: z.number().int(),
		slug: z.string(),
		title: z.string(),
		title_i18n: Translated(200),
		description: z.string(),
		tags: z.array(z.string()),
		kind: z.enum(MILESTONE_KINDS),
		due: z.string(),
		precision: z.enum(PRECISIONS),
		timezone: z.string(),
		due_at: Timestamp,
		due_label: z.string().openapi({ example: "by September 2025" }),
		status: z.enum(MILESTONE_STATUSES),
		alert_offsets: z.array(z.string()),
		source_url: z.string().nullable(),
		slip_count: z.number().int(),
		state: z.enum(MILESTONE_STATES),
		outcome: Outcome.nullable(),
		created_at: Timestamp,
		updated_at: Timestamp,
	})
	.openapi("Milestone");

export const MilestoneOutcome = z
	.object({
		id: z.number().int(),
		milestone_id: z.number().int(),
		status: z.enum(OUTCOME_STATUSES),
		note: z.string(),
		source_url: z.string().nullable(),
		due: z.string().nullable().openapi({ description: "The new due date of a postponement" }),
		created_at: Timestamp,
	})
	.openapi("MilestoneOutcome");

export const MilestoneRevision = z
	.object({
		id: z.number().int(),
		milestone_id: z.number().int(),
		old_due: z.string(),
		new_due: z.string(),
		old_due_at: Timestamp,
		new_due_at: Timestamp,
		reason: z.string().nullable(),
		created_at: Timestamp,
	})
	.openapi("MilestoneRevision");

export const MilestoneQuery = Page.extend({
	status: z.enum(MILESTONE_STATUSES).optional(),
	kind: z.enum(MILESTONE_KINDS).optional(),
	tag: Tag.optional(),
	from: DateOrInstant.optional().openapi({ description: "due_at at or after" }),
	to: DateOrInstant.optional().openapi({ description: "due_at before" }),
}).strict();

export const MilestoneList = listOf(Milestone, "MilestoneList");
export const RevisionList = listOf(MilestoneRevision, "MilestoneRevisionList");
export const OutcomeList = listOf(MilestoneOutcome, "MilestoneOutcomeList");

export type CreateMilestoneInput = z.infer<typeof CreateMilestone>;
export type UpdateMilestoneInput = z.infer<typeof UpdateMilestone>;
export type MilestoneQueryInput = z.infer<typeof MilestoneQuery>;
export type RecordOutcomeInput = z.infer<typeof RecordOutcome>;
export type OutcomeJson = z.infer<typeof Outcome>;
export type MilestoneJson = z.infer<typeof Milestone>;

/** A milestone's current outcome as JSON, or null. */
export function outcomeJson(row: Pick<MilestoneRow, "outcome" | "outcomeNote" | "outcomeSourceUrl" | "outcomeAt">): OutcomeJson | null {
	if (!row.outcome || !row.outcomeAt) return null;
	return { status: row.outcome, note: row.outcomeNote ?? "", source_url: row.outcomeSourceUrl, at: row.outcomeAt.toISOString() };
}

/** The public JSON for a milestone row, with where it stands at `now`. */
export function milestoneJson(row: MilestoneRow, now: Date): MilestoneJson {
	return {
		id: row.id,
		slug: row.slug,
		title: row.title,
		title_i18n: row.titleI18n,
		description: row.description,
		tags: row.tags,
		kind: row.kind,
		due: row.due,
		precision: row.precision,
		timezone: row.timezone,
		due_at: row.dueAt.toISOString(),
		due_label: describeDue(row.due, row.kind, row.timezone, row.dueAt.getTime()),
		status: row.status,
		alert_offsets: row.alertOffsets,
		source_url: row.sourceUrl,
		slip_count: row.slipCount,
		state: milestoneState(row, now),
		outcome: outcomeJson(row),
		created_at: row.createdAt.toISOString(),
		updated_at: row.updatedAt.toISOString(),
	};
}

/** The public JSON for a revision (one slip of a milestone's due date). */
export function revisionJson(row: MilestoneRevisionRow) {
	return {
		id: row.id,
		milestone_id: row.milestoneId,
		old_due: row.oldDue,
		new_due: row.newDue,
		old_due_at: row.oldDueAt.toISOString(),
		new_due_at: row.newDueAt.toISOString(),
		reason: row.reason,
		created_at: row.createdAt.toISOString(),
	};
}

/** The public JSON for one outcome posted (history). */
export function milestoneOutcomeJson(row: MilestoneOutcomeRow) {
	return {
		id: row.id,
		milestone_id: row.milestoneId,
		status: row.status,
		note: row.note,
		source_url: row.sourceUrl,
		due: row.due,
		created_at: row.createdAt.toISOString(),
	};
}
