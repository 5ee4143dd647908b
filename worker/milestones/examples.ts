import type { z } from "@hono/zod-openapi";
import type { MilestoneJson, MilestoneOutcome, MilestoneRevision } from "./schema";

// Response examples for the OpenAPI document, typed by the schemas they illustrate so they
// cannot drift from them (test/http/openapi.test.ts also parses each one).
export const milestoneExample = {
	id: 1,
	slug: "coalition-leaves-ain-al-asad",
	title: "US-led coalition leaves Ain al-Asad and Camp Victory",
	title_i18n: { ar: "انسحاب التحالف بقيادة الولايات المتحدة من قاعدة عين الأسد ومعسكر فكتوري" },
	description: "First phase of the transition agreed in September 2024.",
	tags: ["withdrawal", "iraq"],
	kind: "deadline",
	due: "2025-09",
	precision: "month",
	timezone: "Asia/Baghdad",
	due_at: "2025-09-30T21:00:00.000Z",
	due_label: "by September 2025",
	status: "scheduled",
	alert_offsets: ["P30D", "P7D", "P1D", "PT0S"],
	source_url: "https://example.org/joint-statement",
	slip_count: 0,
	state: "scheduled",
	outcome: null,
	created_at: "2025-01-15T09:00:00.000Z",
	updated_at: "2025-01-15T09:00:00.000Z",
} satisfies MilestoneJson;

export const milestoneListExample = { items: [milestoneExample], next_cursor: null };

export const revisionListExample = {
	items: [
		{
			id: 7,
			milestone_id: 1,
			old_due: "2025-09",
			new_due: "2026-09",
			old_due_at: "2025-09-30T21:00:00.000Z",
			new_due_at: "2026-09-30T21:00:00.000Z",
			reason: "Second phase postponed by the joint commission",
			created_at: "2025-08-01T12:00:00.000Z",
		},
	],
	next_cursor: null,
} satisfies { items: z.infer<typeof MilestoneRevision>[]; next_cursor: string | null };

export const slippedMilestoneExample = {
	...milestoneExample,
	due: "2026-09",
	due_at: "2026-09-30T21:00:00.000Z",
	due_label: "by September 2026",
	slip_count: 1,
} satisfies MilestoneJson;

export const cancelledMilestoneExample = { ...milestoneExample, status: "cancelled" } satisfies MilestoneJson;

export const heldMilestoneExample = {
	...milestoneExample,
	id: 3,
	slug: "iraq-parliamentary-elections",
	title: "Iraqi parliamentary elections",
	description: "",
	tags: ["elections", "iraq"],
	kind: "event",
	due: "2025-11-11",
	precision: "day",
	due_at: "2025-11-10T21:00:00.000Z",
	due_label: "on 11 November 2025",
	status: "met",
	state: "met",
	outcome: { status: "held", note: "Polls opened on time; turnout 56%", source_url: "https://example.org/ihec-turnout", at: "2025-11-12T08:00:00.000Z" },
	updated_at: "2025-11-12T08:00:00.000Z",
} satisfies MilestoneJson;

export const outcomeListExample = {
	items: [
		{
			id: 2,
			milestone_id: 3,
			status: "held",
			note: "Polls opened on time; turnout 56%",
			source_url: "https://example.org/ihec-turnout",
			due: null,
			created_at: "2025-11-12T08:00:00.000Z",
		},
	],
	next_cursor: null,
} satisfies { items: z.infer<typeof MilestoneOutcome>[]; next_cursor: string | null };
