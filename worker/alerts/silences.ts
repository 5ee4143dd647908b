import { and, eq, gt, lt, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { byIdOrSlug } from "../db/lookup";
import { milestones, silences, zones } from "../db/schema";
import { AppError } from "../http/errors";
import { byIdAfter, paginateById } from "../http/pagination";
import type { SilenceRule } from "./planner";
import type { CreateSilenceInput, SilenceQueryInput, SilenceWithZone } from "./silence-schema";

/** Mutes a milestone, a tag or a zone until a future time; its target must exist. */
export async function createSilence(db: Db, input: CreateSilenceInput, now: Date): Promise<SilenceWithZone> {
	const until = new Date(input.until);
	if (until.getTime() <= now.getTime()) {
		throw new AppError("validation_failed", "`until` is in the past: a silence must end in the future.", {
			errors: [{ path: "/until", message: "must be in the future" }],
		});
	}
	let milestoneId: number | null = null;
	let zone: { id: number; slug: string } | null = null;
	if (input.milestone !== undefined) {
		const found = await db.query.milestones.findFirst({ where: byIdOrSlug(milestones, input.milestone), columns: { id: true } });
		if (!found)
			throw new AppError("validation_failed", `No milestone "${input.milestone}".`, { errors: [{ path: "/milestone", message: "no such milestone" }] });
		milestoneId = found.id;
	}
	if (input.zone !== undefined) {
		zone = (await db.query.zones.findFirst({ where: eq(zones.slug, input.zone), columns: { id: true, slug: true } })) ?? null;
		if (!zone) throw new AppError("validation_failed", `No zone "${input.zone}".`, { errors: [{ path: "/zone", message: "no such zone" }] });
	}
	const [row] = await db
		.insert(silences)
		.values({ milestoneId, tag: input.tag ?? null, zoneId: zone?.id ?? null, until, reason: input.reason, createdAt: now })
		.returning();
	if (!row) throw new Error("silence insert returned nothing");
	return { ...row, zoneSlug: zone?.slug ?? null };
}

const withZone = (db: Db) => db.select({ silence: silences, zoneSlug: zones.slug }).from(silences).leftJoin(zones, eq(zones.id, silences.zoneId));

/** Silences newest first; `active=true` keeps only those still in force. */
export async function listSilences(db: Db, q: SilenceQueryInput, now: Date) {
	const { after, orderBy } = byIdAfter(silences.id, q.cursor, "desc");
	const rows = await withZone(db)
		.where(and(q.active === "true" ? gt(silences.until, now) : undefined, q.active === "false" ? lt(silences.until, now) : undefined, after))
		.orderBy(orderBy)
		.limit(q.limit + 1);
	return paginateById(
		rows.map((r) => ({ ...r.silence, zoneSlug: r.zoneSlug })),
		q.limit,
	);
}

/** Ends a silence now (the row stays as history). */
export async function endSilence(db: Db, id: string, now: Date): Promise<SilenceWithZone> {
	const found = /^\d{1,15}$/.test(id) ? (await withZone(db).where(eq(silences.id, Number(id))))[0] : undefined;
	if (!found) throw new AppError("not_found", `No silence "${id}".`);
	if (found.silence.until.getTime() <= now.getTime()) return { ...found.silence, zoneSlug: found.zoneSlug };
	const s = found.silence;
	// The sweep parked what this silence covered until its old end: wake those milestones now.
	const covered =
		s.milestoneId !== null
			? eq(milestones.id, s.milestoneId)
			: s.tag !== null
				? sql`EXISTS (SELECT 1 FROM json_each(${milestones.tags}) WHERE json_each.value = ${s.tag})`
				: undefined;
	const [[row]] = await db.batch([
		db.update(silences).set({ until: now }).where(eq(silences.id, s.id)).returning(),
		db
			.update(milestones)
			.set({ nextCheckAt: now })
			.where(covered ? and(eq(milestones.status, "scheduled"), covered) : sql`0`),
	]);
	return { ...(row ?? s), zoneSlug: found.zoneSlug };
}

/** Every silence in force at `now` (a small set: the silences_until index finds them). */
export function activeSilences(db: Db, now: Date): Promise<SilenceRule[]> {
	return db
		.select({ milestoneId: silences.milestoneId, tag: silences.tag, zoneId: silences.zoneId, until: silences.until })
		.from(silences)
		.where(gt(silences.until, now));
}
