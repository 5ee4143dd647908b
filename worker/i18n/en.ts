// English: the catalogue that defines the keys and their parameters. A message is a string, or
// a function of its parameters; ar.ts and ckb.ts must have the same keys with the same
// parameters (their type is this file's), so tsc fails on a missing key or a wrong parameter.
// Keys are written only as whole string literals where they are used ("status.next_heading"),
// never built from pieces: test/i18n/catalogue.test.ts finds unused keys by that.
import { formatNumber as n, plural } from "./format";

const days = (count: number) => plural("en", count, { one: "# day", other: "# days" });
const hours = (count: number) => plural("en", count, { one: "# hour", other: "# hours" });
const minutes = (count: number) => plural("en", count, { one: "# minute", other: "# minutes" });

export const en = {
	"common.app": "Vigil",
	"common.languages": "Language",
	"common.no_zone": "No zone",

	"due.by_year": (p: { year: string }) => `by the end of ${p.year}`,
	"due.in_year": (p: { year: string }) => `in ${p.year}`,
	"due.by_quarter": (p: { quarter: string; year: string }) => `by the end of Q${p.quarter} ${p.year}`,
	"due.in_quarter": (p: { quarter: string; year: string }) => `in Q${p.quarter} ${p.year}`,
	"due.by_month": (p: { month: string }) => `by ${p.month}`,
	"due.in_month": (p: { month: string }) => `in ${p.month}`,
	"due.by_day": (p: { date: string }) => `by ${p.date}`,
	"due.on_day": (p: { date: string }) => `on ${p.date}`,
	"due.quarter": (p: { quarter: string; year: string }) => `Q${p.quarter} ${p.year}`,
	"due.at_instant": (p: { date: string; time: string; zone: string }) => `${p.date}, ${p.time} ${p.zone}`,

	"duration.days": (p: { count: number }) => days(p.count),
	"duration.hours": (p: { count: number }) => hours(p.count),
	"duration.minutes": (p: { count: number }) => minutes(p.count),
	"duration.join": (p: { first: string; second: string }) => `${p.first} ${p.second}`,
	"countdown.future": (p: { time: string }) => `in ${p.time}`,
	"countdown.past": (p: { time: string }) => `overdue by ${p.time}`,

	"status.page_title": (p: { status: string }) => `Vigil status: ${p.status}`,
	"status.meta_description": "Next milestones, slips, incidents per week and alert health.",
	"status.feed_incidents": "Vigil: verified incidents",
	"status.feed_milestones": "Vigil: milestones",
	"status.ok": "ok",
	"status.degraded": "degraded",
	"status.state": (p: { status: string; time: string }) => `Status: ${p.status} as of ${p.time}`,
	"status.configuration_incomplete": "Configuration incomplete:",
	"status.next_heading": "Next milestones",
	"status.next_none": "No scheduled milestones ahead.",
	"status.next_caption": "Scheduled milestones, soonest first",
	"status.overdue_heading": (p: { count: number }) => `Overdue (${n("en", p.count)})`,
	"status.overdue_none": "Nothing overdue.",
	"status.overdue_caption": "Still scheduled after their due time",
	"status.overdue_badge": "Overdue",
	"status.col_milestone": "Milestone",
	"status.col_due": "Due",
	"status.col_time_left": "Time left",
	"status.col_overdue_by": "Overdue by",
	"status.moved": (p: { count: number }) => plural("en", p.count, { one: "(moved once)", other: "(moved # times)" }),
	"status.acked_admin": (p: { time: string }) => `(acknowledged by an admin, ${p.time})`,
	"status.acked_subscriber": (p: { time: string }) => `(acknowledged by a subscriber, ${p.time})`,
	"status.acked_channel": (p: { time: string }) => `(acknowledged by a channel, ${p.time})`,
	"status.slips_heading": "Recent slips",
	"status.slips_none": "No due date has moved in the last 30 days.",
	"status.slip": (p: { title: string; from: string; to: string; at: string }) => `${p.title}: moved from ${p.from} to ${p.to}, on ${p.at}`,
	"status.slip_reason": (p: { reason: string }) => `Reason: ${p.reason}`,
	"status.incidents_heading": "Incidents",
	"status.incidents_recent": (p: { day: number; week: number }) => `${n("en", p.day)} in the last 24 hours, ${n("en", p.week)} in the last 7 days.`,
	"status.verified": (p: { verified: string; total: number; share: string; weeks: number }) =>
		`${p.verified} of ${n("en", p.total)} verified (${p.share}) in the last ${n("en", p.weeks)} weeks`,
	"status.not_applicable": "n/a",
	"status.not_counted": "(retracted and rejected reports are not counted)",
	"status.by_zone": "By zone",
	"status.col_zone": "Zone",
	"status.col_24h": "Last 24 hours",
	"status.col_7d": "Last 7 days",
	"status.health_heading": "Alerts and crons",
	"status.alerts": (p: { pending: number; failed: number }) => `Alerts pending: ${n("en", p.pending)}, failed: ${n("en", p.failed)}`,
	"status.alerts_last_sent": (p: { time: string }) => `last sent ${p.time}`,
	"status.alerts_none_sent": "none sent yet",
	"status.cron_last_ran": (p: { time: string }) => `last ran ${p.time}`,
	"status.cron_never": "has not run yet",
	"status.cron_stale": "stale",
	"status.cron_error": (p: { error: string }) => `last error: ${p.error}`,
	"status.nav_label": "Feeds and API",
	"status.link_ics": "Milestones calendar (iCalendar)",
	"status.link_atom": "Verified incidents (Atom)",
	"status.link_docs": "API docs",
	"status.link_openapi": "OpenAPI document",
	"status.link_json": "Status as JSON",

	"chart.title": (p: { weeks: number }) => `Incidents per week by zone, last ${n("en", p.weeks)} weeks`,
	"chart.empty": (p: { weeks: number }) => `No incidents recorded in the last ${n("en", p.weeks)} weeks.`,
	"chart.summary": (p: { total: number; weeks: number; zones: string; peak: string; peakCount: number }) =>
		`${plural("en", p.total, { one: "# incident", other: "# incidents" })} in the last ${n("en", p.weeks)} weeks (${p.zones}); the busiest week began ${p.peak} with ${n("en", p.peakCount)}.`,
	"chart.bar": (p: { zone: string; week: string; count: number }) => `${p.zone}, week of ${p.week}: ${n("en", p.count)}`,
	"chart.other_zones": "Other zones",
	"chart.table_summary": "The numbers as a table",
	"chart.table_caption": "Incidents per week (weeks start Monday, UTC)",
	"chart.col_week": "Week of",

	"unsubscribe.title": "Vigil: unsubscribe",
	"unsubscribe.heading": "Vigil alerts",
	"unsubscribe.done": (p: { email: string }) => `${p.email} is unsubscribed and will get no more alerts or digests.`,
	"unsubscribe.ask": (p: { email: string }) => `Stop all Vigil alerts and digests to ${p.email}?`,
	"unsubscribe.button": "Unsubscribe",

	"ack.title": "Vigil: acknowledge",
	"ack.heading": "Vigil alerts",
	"ack.overdue": (p: { title: string; due: string; time: string }) => `${p.title} is overdue: it was due ${p.due} (${p.time}).`,
	"ack.done_admin": (p: { time: string }) =>
		`Acknowledged by an admin on ${p.time}: no more reminders for this due date. A new due date will start them again.`,
	"ack.done_by": (p: { who: string; time: string }) =>
		`Acknowledged by ${p.who} on ${p.time}: no more reminders for this due date. A new due date will start them again.`,
	"ack.someone_subscriber": "a subscriber",
	"ack.someone_channel": "a channel",
	"ack.ask": "Acknowledge it, so that nobody gets more reminders for this due date? A new due date will start them again.",
	"ack.button": "Acknowledge",
} satisfies Record<string, string | ((p: never) => string)>;

/** What every language must give: English's keys, each with English's parameters. */
export type Catalogue = { readonly [K in keyof typeof en]: (typeof en)[K] extends string ? string : (typeof en)[K] };
