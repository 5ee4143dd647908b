/** Loads what one recipient's email says about the ledger rows claimed for them. */
import { and, asc, count, desc, eq, gt, gte, inArray, lte } from "drizzle-orm";
import type { Db } from "../db/client";
import { type AlertRow, incidents, milestoneRevisions, milestones, type SubscriberRow, zones } from "../db/schema";
import { countable } from "../incidents";
import { wantsMilestone } from "../subscribers";
import { digestWindow, inDigest } from "./digest-window";
import type { DigestItem, EmailItem, IncidentBrief } from "./email/types";
import { SURGE_WINDOW_MS, weeklyAverage, zoneCounts } from "./surge";

const DAY_MS = 86_400_000;
const INCIDENTS_PER_ITEM = 5;
const REVISIONS_PER_ITEM = 5;
const UPCOMING_WINDOW_MS = 14 * DAY_MS;

async function recentIncidents(db: Db, zoneIds: number[], now: Date): Promise<IncidentBrief[]> {
	if (zoneIds.length === 0) return [];
	return db
		.select({
			occurredAt: incidents.occurredAt,
			eventType: incidents.eventType,
			location: incidents.location,
			zone: zones.slug,
			fatalities: incidents.fatalities,
			notes: incidents.notes,
		})
		.from(incidents)
		.leftJoin(zones, eq(zones.id, incidents.zoneId))
		.where(
			and(inArray(incidents.zoneId, zoneIds), gt(incidents.occurredAt, new Date(now.getTime() - SURGE_WINDOW_MS)), lte(incidents.occurredAt, now), countable()),
		)
		.orderBy(desc(incidents.occurredAt))
		.limit(INCIDENTS_PER_ITEM);
}

/** A digest: new incidents in its window by zone and type, and what is coming. */
async function digestItem(db: Db, row: AlertRow, subscriber: SubscriberRow, now: Date): Promise<DigestItem> {
	const window = digestWindow(subscriber, row.dueAt ?? now);
	const [groups, upcoming] = await Promise.all([
		db
			.select({ zone: zones.slug, type: incidents.eventType, n: count() })
			.from(incidents)
			.leftJoin(zones, eq(zones.id, incidents.zoneId))
			.where(inDigest(window, subscriber))
			.groupBy(zones.slug, incidents.eventType)
			.orderBy(asc(zones.slug), desc(count())),
		db
			.select()
			.from(milestones)
			.where(and(eq(milestones.status, "scheduled"), gte(milestones.dueAt, now), lte(milestones.dueAt, new Date(now.getTime() + UPCOMING_WINDOW_MS))))
			.orderBy(asc(milestones.dueAt))
			.limit(20),
	]);
	const byZone = new Map<string, { type: string; count: number }[]>();
	for (const g of groups) {
		const key = g.zone ?? "no zone";
		byZone.set(key, [...(byZone.get(key) ?? []), { type: g.type, count: g.n }]);
	}
	return {
		kind: "digest",
		...window,
		total: groups.reduce((n, g) => n + g.n, 0),
		byZone: [...byZone.entries()].map(([zone, types]) => ({ zone, types })),
		upcoming: upcoming.filter((m) => wantsMilestone(subscriber, m.tags)).slice(0, 10),
	};
}

/**
 * Builds one item per claimed row, in the rows' order. `stale` lists rows with nothing true left
 * to say (their milestone was met, missed or cancelled, or their zone is gone): they must not be
 * sent. A digest is built for a subscriber; a channel (`subscriber` null) has none to get.
 */
export async function loadItems(
	db: Db,
	rows: readonly AlertRow[],
	subscriber: SubscriberRow | null,
	now: Date,
): Promise<{ items: EmailItem[]; stale: AlertRow[] }> {
	const milestoneIds = [...new Set(rows.flatMap((r) => (r.milestoneId !== null ? [r.milestoneId] : [])))];
	const zoneIds = [...new Set(rows.flatMap((r) => (r.kind === "surge" && r.zoneId !== null ? [r.zoneId] : [])))];
	const [ms, revisions, surgeZones] = await Promise.all([
		milestoneIds.length > 0 ? db.select().from(milestones).where(inArray(milestones.id, milestoneIds)) : [],
		milestoneIds.length > 0
			? db.select().from(milestoneRevisions).where(inArray(milestoneRevisions.milestoneId, milestoneIds)).orderBy(desc(milestoneRevisions.id))
			: [],
		zoneIds.length > 0 ? db.select().from(zones).where(inArray(zones.id, zoneIds)) : [],
	]);
	const items: EmailItem[] = [];
	const stale: AlertRow[] = [];
	for (const row of rows) {
		if (row.kind === "digest") {
			if (subscriber) items.push(await digestItem(db, row, subscriber, now));
			else stale.push(row);
		} else if (row.kind === "surge") {
			const zone = surgeZones.find((z) => z.id === row.zoneId);
			if (!zone) {
				stale.push(row);
				continue;
			}
			const counts = (await zoneCounts(db, now)).find((c) => c.zoneId === zone.id) ?? { recent: 0, baseline: 0 };
			items.push({ kind: "surge", zone, recent: counts.recent, weeklyAverage: weeklyAverage(counts), incidents: await recentIncidents(db, [zone.id], now) });
		} else {
			const milestone = ms.find((m) => m.id === row.milestoneId);
			if (milestone?.status !== "scheduled") {
				stale.push(row);
				continue;
			}
			// Related zones: those whose slug the milestone carries as a tag.
			const related = milestone.tags.length > 0 ? await db.select({ id: zones.id }).from(zones).where(inArray(zones.slug, milestone.tags)) : [];
			items.push({
				kind: row.kind,
				alertId: row.id,
				offset: row.offset,
				milestone,
				revisions: revisions.filter((r) => r.milestoneId === milestone.id).slice(0, REVISIONS_PER_ITEM),
				incidents: await recentIncidents(
					db,
					related.map((z) => z.id),
					now,
				),
			});
		}
	}
	return { items, stale };
}
