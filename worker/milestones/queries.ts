import { and, asc, eq, gte, lt, type SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { EMPTY_LEDGER, nextCheckAt } from "../alerts";
import type { Db } from "../db/client";
import { byIdOrSlug } from "../db/lookup";
import { type MilestoneRow, milestoneRevisions, milestones } from "../db/schema";
import { AppError, type FieldError } from "../http/errors";
import { byIdAfter, decodeCursor, paginate, paginateById } from "../http/pagination";
import { DueError, type MilestoneKind, parseDue, resolveDueAt } from "../time/due";
import { DEFAULT_OFFSETS, DurationError, normalizeOffsets } from "../time/duration";
import { canonicalTimeZone } from "../time/timezone";
import { changesCalendar } from "./calendar-change";
import type { CreateMilestoneInput, MilestoneQueryInput, UpdateMilestoneInput } from "./schema";

/**
 * Turns a title into a URL slug: "Elections (November)" -> "elections-november". A slug needs a
 * letter (digits only would read as an id), so "2" becomes "milestone-2".
 */
export function slugify(title: string): string {
	const slug = title
		.normalize("NFKD")
		.replace(/[\u0300-\u036f]/g, "")
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, "-")
		.replace(/^-+|-+$/g, "")
		.slice(0, 60)
		.replace(/-+$/, "");
	if (!slug) return "milestone";
	return /[a-z]/.test(slug) ? slug : `milestone-${slug}`;
}

interface Resolved {
	due: string;
	precision: MilestoneRow["precision"];
	timezone: string;
	dueAt: Date;
	alertOffsets: string[];
}

/** Validates the date fields together (due, kind, timezone, offsets) and derives due_at. */
function resolveSchedule(input: { due: string; kind: MilestoneKind; timezone: string; alertOffsets: readonly string[] }): Resolved {
	const errors: FieldError[] = [];
	const timezone = canonicalTimeZone(input.timezone);
	if (!timezone) errors.push({ path: "/timezone", message: `"${input.timezone}" is not an IANA time zone` });
	let parsed: ReturnType<typeof parseDue> | null = null;
	try {
		parsed = parseDue(input.due);
	} catch (e) {
		if (!(e instanceof DueError)) throw e;
		errors.push({ path: "/due", message: e.message });
	}
	let alertOffsets: string[] = [];
	try {
		alertOffsets = normalizeOffsets(input.alertOffsets);
	} catch (e) {
		if (!(e instanceof DurationError)) throw e;
		errors.push({ path: "/alert_offsets", message: e.message });
	}
	if (errors.length > 0 || !parsed || !timezone) {
		throw new AppError("validation_failed", errors.map((e) => e.message).join("; "), { errors });
	}
	return { due: input.due.trim(), precision: parsed.precision, timezone, dueAt: new Date(resolveDueAt(parsed, input.kind, timezone)), alertOffsets };
}

const isUniqueViolation = (e: unknown): boolean => {
	for (let x: unknown = e; x instanceof Error; x = x.cause) if (/UNIQUE constraint failed/.test(x.message)) return true;
	return false;
};

/** The iCalendar SEQUENCE after one more change a calendar shows. */
export const nextSequence = sql`${milestones.sequence} + 1`;

/** The outcome columns of a milestone that has none. */
const NO_OUTCOME = { outcome: null, outcomeNote: null, outcomeSourceUrl: null, outcomeAt: null } as const;

const slugTaken = (slug: string) =>
	new AppError("conflict", `A milestone with slug "${slug}" already exists.`, { errors: [{ path: "/slug", message: "already taken" }] });

export async function createMilestone(db: Db, input: CreateMilestoneInput, defaultTimezone: string, now: Date): Promise<MilestoneRow> {
	const kind = input.kind ?? "deadline";
	const schedule = resolveSchedule({ due: input.due, kind, timezone: input.timezone ?? defaultTimezone, alertOffsets: input.alert_offsets ?? DEFAULT_OFFSETS });
	const slug = input.slug ?? slugify(input.title);
	try {
		const [row] = await db
			.insert(milestones)
			.values({
				slug,
				title: input.title,
				titleI18n: input.title_i18n ?? null,
				description: input.description ?? "",
				tags: [...new Set(input.tags ?? [])],
				kind,
				...schedule,
				sourceUrl: input.source_url ?? null,
				// Arms the sweep: it finds milestones by this indexed column only.
				nextCheckAt: nextCheckAt({ id: 0, kind, status: "scheduled", slipCount: 0, tags: [], ...schedule }, EMPTY_LEDGER, now),
				createdAt: now,
				updatedAt: now,
			})
			.returning();
		return row as MilestoneRow;
	} catch (e) {
		if (isUniqueViolation(e)) throw slugTaken(slug);
		throw e;
	}
}

/** Finds a milestone by numeric id or by slug. */
export async function getMilestone(db: Db, idOrSlug: string): Promise<MilestoneRow> {
	const row = await db.query.milestones.findFirst({ where: byIdOrSlug(milestones, idOrSlug) });
	if (!row) throw new AppError("not_found", `No milestone "${idOrSlug}".`);
	return row;
}

/** What a postponement (outcome.ts) adds to a PATCH: a due date that must be later, and its history row written in the same batch. */
export interface Postponement {
	/** Builds the extra statement; `won` is true only on the row this write updated. */
	also: (won: SQL) => BatchItem<"sqlite">;
}

/**
 * Applies a PATCH. A changed due_at is a slip: the row, a revision and the slip count are
 * written in one batch, guarded by compare-and-set on updated_at so two editors cannot both win.
 * A change of status reopens or closes the milestone, so the outcome recorded before is cleared.
 */
export async function updateMilestone(db: Db, idOrSlug: string, patch: UpdateMilestoneInput, now: Date, postponement?: Postponement): Promise<MilestoneRow> {
	const current = await getMilestone(db, idOrSlug);
	if (current.status === "cancelled" && patch.status !== "scheduled") {
		throw new AppError("conflict", 'This milestone is cancelled; set status to "scheduled" to reopen it first.');
	}
	const kind = patch.kind ?? current.kind;
	const schedule = resolveSchedule({
		due: patch.due ?? current.due,
		kind,
		timezone: patch.timezone ?? current.timezone,
		alertOffsets: patch.alert_offsets ?? current.alertOffsets,
	});
	if (postponement && schedule.dueAt.getTime() <= current.dueAt.getTime()) {
		const message = `must be later than the current due date (${current.due}, due_at ${current.dueAt.toISOString()})`;
		throw new AppError("validation_failed", `A postponement needs a later date: /due ${message}`, { errors: [{ path: "/due", message }] });
	}
	const slipped = schedule.dueAt.getTime() !== current.dueAt.getTime();
	const slipCount = current.slipCount + (slipped ? 1 : 0);
	const changes = {
		...(patch.title !== undefined && { title: patch.title }),
		...(patch.title_i18n !== undefined && { titleI18n: patch.title_i18n }),
		...(patch.description !== undefined && { description: patch.description }),
		...(patch.tags !== undefined && { tags: [...new Set(patch.tags)] }),
		...(patch.source_url !== undefined && { sourceUrl: patch.source_url }),
		...(patch.slug !== undefined && { slug: patch.slug }),
		...(patch.status !== undefined && { status: patch.status }),
		...(patch.status !== undefined && patch.status !== current.status && NO_OUTCOME),
		kind,
		...schedule,
		slipCount,
		// Re-arms the sweep (a slip or new offsets); an empty ledger at worst costs it one extra look.
		nextCheckAt: nextCheckAt({ id: current.id, kind, status: patch.status ?? current.status, slipCount, tags: [], ...schedule }, EMPTY_LEDGER, now),
		updatedAt: now,
	};
	// Counted in the statement itself, so SEQUENCE only ever goes up, one step per change a calendar shows.
	const sequence = changesCalendar(current, { ...current, ...changes }) ? { sequence: nextSequence } : {};
	const guarded = and(eq(milestones.id, current.id), eq(milestones.updatedAt, current.updatedAt));
	try {
		const update = db
			.update(milestones)
			.set({ ...changes, ...sequence })
			.where(guarded)
			.returning();
		const won = and(eq(milestones.id, current.id), eq(milestones.updatedAt, now), eq(milestones.dueAt, schedule.dueAt)) as SQL;
		const [updated] = slipped
			? await db.batch([
					update,
					// Written only if the guarded update won (the row now carries this write's stamp).
					db.insert(milestoneRevisions).select(
						db
							.select({
								id: sql`NULL`.as("id"),
								milestoneId: milestones.id,
								oldDue: sql`${current.due}`.as("old_due"),
								newDue: milestones.due,
								oldDueAt: sql`${current.dueAt.getTime()}`.as("old_due_at"),
								newDueAt: milestones.dueAt,
								reason: sql`${patch.reason ?? null}`.as("reason"),
								createdAt: milestones.updatedAt,
							})
							.from(milestones)
							.where(won),
					),
					...(postponement ? [postponement.also(won)] : []),
				])
			: [await update];
		const row = updated[0];
		if (!row) throw new AppError("conflict", "The milestone changed while this update was applied; fetch it and try again.");
		return row;
	} catch (e) {
		if (isUniqueViolation(e) && patch.slug) throw slugTaken(patch.slug);
		throw e;
	}
}

/** DELETE cancels: the row, its history and its alerts stay. */
export async function cancelMilestone(db: Db, idOrSlug: string, now: Date): Promise<MilestoneRow> {
	const current = await getMilestone(db, idOrSlug);
	if (current.status === "cancelled") return current;
	const [row] = await db
		.update(milestones)
		.set({ status: "cancelled", nextCheckAt: null, sequence: nextSequence, updatedAt: now })
		.where(and(eq(milestones.id, current.id), eq(milestones.status, current.status)))
		.returning();
	if (!row) throw new AppError("conflict", "The milestone changed while it was cancelled; try again.");
	return row;
}

/**
 * The list's query for one page (limit + 1 rows, to know whether another page follows), unexecuted
 * so a test can read its plan. Keyset on (due_at, id) as a row value: SQLite seeks the
 * milestones_due_at index to a row-value bound, but cannot bound a range by
 * `due_at > ? OR (due_at = ? AND id > ?)`, so a deep page would walk every row before it.
 */
export function listMilestonesQuery(db: Db, q: MilestoneQueryInput) {
	const cursor = decodeCursor(q.cursor);
	if (cursor && typeof cursor.k !== "number") throw new AppError("bad_request", "The cursor is not one this API issued.");
	return db
		.select()
		.from(milestones)
		.where(
			and(
				q.status ? eq(milestones.status, q.status) : undefined,
				q.kind ? eq(milestones.kind, q.kind) : undefined,
				q.tag ? sql`EXISTS (SELECT 1 FROM json_each(${milestones.tags}) WHERE json_each.value = ${q.tag})` : undefined,
				q.from ? gte(milestones.dueAt, q.from) : undefined,
				q.to ? lt(milestones.dueAt, q.to) : undefined,
				cursor ? sql`(${milestones.dueAt}, ${milestones.id}) > (${sql.param(new Date(cursor.k as number), milestones.dueAt)}, ${cursor.id})` : undefined,
			),
		)
		.orderBy(asc(milestones.dueAt), asc(milestones.id))
		.limit(q.limit + 1);
}

/** Milestones by due date, with filters and a keyset cursor on (due_at, id). */
export async function listMilestones(db: Db, q: MilestoneQueryInput) {
	return paginate(await listMilestonesQuery(db, q), q.limit, (r) => ({ k: r.dueAt.getTime(), id: r.id }));
}

export async function listRevisions(db: Db, idOrSlug: string, limit: number, cursorText: string | undefined) {
	const milestone = await getMilestone(db, idOrSlug);
	const { after, orderBy } = byIdAfter(milestoneRevisions.id, cursorText, "desc");
	const rows = await db
		.select()
		.from(milestoneRevisions)
		.where(and(eq(milestoneRevisions.milestoneId, milestone.id), after))
		.orderBy(orderBy)
		.limit(limit + 1);
	return paginateById(rows, limit);
}
