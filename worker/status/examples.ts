import { milestoneExample } from "../milestones";
import type { StatusJson } from "./schema";

// Response examples for the OpenAPI document, typed by the schema they illustrate.

export const statusExample = {
	status: "ok",
	reason: null,
	now: "2025-09-20T08:00:00.000Z",
	milestones: {
		next: [
			{
				id: 1,
				slug: milestoneExample.slug,
				title: milestoneExample.title,
				title_i18n: null,
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
		awaiting_outcome: 0,
		awaiting_outcome_items: [],
		recent_outcomes: [
			{
				id: 3,
				slug: "joint-security-commission-meets",
				title: "Joint security commission meets in Baghdad",
				kind: "event",
				due_label: "on 14 September 2025",
				outcome: "held",
				note: "Met as planned; the drawdown timetable was confirmed",
				source_url: "https://example.org/commission-statement",
				at: "2025-09-15T08:00:00.000Z",
			},
		],
		recent_slips: [],
	},
	incidents: {
		last_24h: 2,
		last_7d: 9,
		verified_share: 0.67,
		by_zone: [{ zone: "wadi-hauran", name: "Wadi Hauran", name_i18n: { ar: "وادي حوران", ckb: "دۆڵی حۆران" }, last_24h: 1, last_7d: 5 }],
	},
	alerts: { pending: 0, failed: 0, last_sent_at: "2025-09-19T06:00:04.000Z" },
	subscribers: { suppressed: 0, soft_bouncing: 1 },
	channels: { disabled: [], retrying: [] },
	ingest: { rejected: 0, dead_lettered: 0 },
	cron: {
		last_run_at: "2025-09-20T07:50:00.000Z",
		stale: false,
		jobs: [{ job: "sweep", cron: "* * * * *", last_run_at: "2025-09-20T07:50:00.000Z", last_error: null, stale: false }],
	},
	configuration: { ok: true, problems: [] },
} satisfies StatusJson;

export const statusPageExample = '<!doctype html><html lang="en"><head><title>Vigil status: ok</title>…</head><body>…</body></html>';
