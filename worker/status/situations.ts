// The public situation pages as `/` lists them, each with a one-line state, in one D1 round trip.
import { and, asc, count, eq, gte, lt, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Db } from "../db/client";
import { type MilestoneRow, milestones, pages } from "../db/schema";
import type { DataStatusJson, UpcomingMilestoneJson } from "./schema";
import { upcoming } from "./schema";

/** More public pages than `/` should list in one go; the API lists them all. */
export const LISTED_SITUATIONS = 100;

/** One public page and its state: its next milestone, how many are overdue, its incidents in 7 days. */
export interface Situation {
	slug: string;
	title: string;
	description: string;
	language: string;
	next: UpcomingMilestoneJson | null;
	overdue: number;
	incidents_7d: number;
}

const m = alias(milestones, "m");

/** A milestone `m` that the page row in scope takes: it has one of the page's tags, or the page names none. */
const onPage: SQL = sql`(${pages.tags} = '[]' OR EXISTS (SELECT 1 FROM json_each(${m.tags}) AS a, json_each(${pages.tags}) AS b WHERE a.value = b.value))`;

/**
 * Public pages by title, each joined to its next scheduled milestone and its overdue count by
 * correlated subqueries over the (status, due_at) index: one statement however many pages.
 */
export function situationsQuery(db: Db, now: Date) {
	const scheduled = eq(m.status, "scheduled");
	const nextId = db
		.select({ id: m.id })
		.from(m)
		.where(and(scheduled, gte(m.dueAt, now), onPage))
		.orderBy(asc(m.dueAt), asc(m.id))
		.limit(1);
	const overdue = db
		.select({ n: count() })
		.from(m)
		.where(and(scheduled, lt(m.dueAt, now), onPage));
	return db
		.select({ page: pages, next: milestones, overdue: sql<number>`(${overdue})`.mapWith(Number) })
		.from(pages)
		.leftJoin(milestones, eq(milestones.id, sql`(${nextId})`))
		.where(eq(pages.visibility, "public"))
		.orderBy(asc(pages.title), asc(pages.id))
		.limit(LISTED_SITUATIONS);
}

/**
 * The public pages with their state. Incidents in 7 days come from the whole status's counts by
 * zone, already read for `/`: a page's are the sum over its zones (all of them when it names none).
 */
export async function listSituations(db: Db, now: Date, whole: Pick<DataStatusJson, "incidents">): Promise<Situation[]> {
	const rows: { page: typeof pages.$inferSelect; next: MilestoneRow | null; overdue: number }[] = await situationsQuery(db, now);
	const byZone = new Map(whole.incidents.by_zone.map((z) => [z.zone, z.last_7d]));
	return rows.map(({ page, next, overdue }) => ({
		slug: page.slug,
		title: page.title,
		description: page.description,
		language: page.language,
		next: next ? upcoming(next, now) : null,
		overdue,
		incidents_7d: page.zones.length === 0 ? whole.incidents.last_7d : page.zones.reduce((n, z) => n + (byZone.get(z) ?? 0), 0),
	}));
}
