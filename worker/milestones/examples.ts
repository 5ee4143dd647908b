import type { z } from "@hono/zod-openapi";
import type { MilestoneJson, MilestoneRevision } from "./schema";
import type { StatusJson } from "../status/schema";
import type { Zone } from "../zones/schema";

// Response examples for the OpenAPI document, typed by the schemas they illustrate so they
// cannot drift from them (test/integration/openapi.test.ts also parses each one).

export const milestoneExample = {
	id: 1,
	slug: "coalition-leaves-ain-al-asad",
	title: "US-led coalition leaves Ain al-Asad and Camp Victory",
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

export const zoneExample = {
	id: 3,
	slug: "wadi-hauran",
	name: "Wadi Hauran",
	country: "Iraq",
	admin1: "Al Anbar",
	description: "",
	polygon: {
		type: "Polygon",
		coordinates: [
			[
				[40.2, 33.6],
				[41.6, 33.6],
				[41.6, 32.9],
				[40.2, 32.9],
				[40.2, 33.6],
			],
		],
	},
	created_at: "2025-01-15T09:00:00.000Z",
} satisfies z.infer<typeof Zone>;

export const zoneListExample = { items: [zoneExample], next_cursor: null };

export const statusExample = {
	status: "ok",
	now: "2025-09-20T08:00:00.000Z",
	milestones: {
		next: [
			{
				id: 1,
				slug: milestoneExample.slug,
				title: milestoneExample.title,
				kind: "deadline",
				precision: "month",
				due: "2025-09",
				due_label: "by September 2025",
				timezone: "Asia/Baghdad",
				due_at: "2025-09-30T21:00:00.000Z",
				seconds_left: 954000,
				time_left: "in 11 days 1 hour",
				slip_count: 0,
			},
		],
		overdue: 0,
		overdue_items: [],
		recent_slips: [],
	},
	incidents: { last_24h: 2, last_7d: 9, verified_share: 0.67, by_zone: [{ zone: "wadi-hauran", name: "Wadi Hauran", last_24h: 1, last_7d: 5 }] },
	alerts: { pending: 0, failed: 0, last_sent_at: "2025-09-19T06:00:04.000Z" },
	cron: {
		last_run_at: "2025-09-20T07:50:00.000Z",
		stale: false,
		jobs: [{ job: "sweep", cron: "*/10 * * * *", last_run_at: "2025-09-20T07:50:00.000Z", last_error: null, stale: false }],
	},
} satisfies StatusJson;

export const statusPageExample = '<!doctype html><html lang="en"><head><title>Vigil status: ok</title>…</head><body>…</body></html>';

export const slippedMilestoneExample = {
	...milestoneExample,
	due: "2026-09",
	due_at: "2026-09-30T21:00:00.000Z",
	due_label: "by September 2026",
	slip_count: 1,
} satisfies MilestoneJson;
export const cancelledMilestoneExample = { ...milestoneExample, status: "cancelled" } satisfies MilestoneJson;
