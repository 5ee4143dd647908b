import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { byIdOrSlug } from "../db/lookup";
import { type PageRow, pages } from "../db/schema";
import { AppError } from "../http/errors";
import { byIdAfter, paginateById } from "../http/pagination";
import { checkFilters } from "../subscribers";
import type { CreatePageInput, UpdatePageInput } from "./schema";

const slugTaken = (slug: string) =>
	new AppError("conflict", `A page with slug "${slug}" already exists; choose another slug or PATCH it.`, {
		errors: [{ path: "/slug", message: "already taken" }],
	});

const notFound = (key: string) => new AppError("not_found", `No page "${key}".`);

const unique = (values: readonly string[] | undefined) => values && [...new Set(values)];

/** Creates a page after checking that its tags and zones exist (422 naming the unknown ones); a taken slug is a 409. */
export async function createPage(db: Db, input: CreatePageInput, now: Date): Promise<PageRow> {
	const tags = unique(input.tags) ?? [];
	const zones = unique(input.zones) ?? [];
	await checkFilters(db, zones, tags);
	const [row] = await db
		.insert(pages)
		.values({
			slug: input.slug,
			title: input.title,
			titleI18n: input.title_i18n ?? null,
			description: input.description ?? "",
			language: input.language ?? "en",
			tags,
			zones,
			visibility: input.visibility ?? "public",
			createdAt: now,
		})
		.onConflictDoNothing({ target: pages.slug })
		.returning();
	if (!row) throw slugTaken(input.slug);
	return row;
}

/** Pages oldest first (keyset on id); private ones only when `withPrivate`. */
export async function listPages(db: Db, limit: number, cursorText: string | undefined, withPrivate: boolean) {
	const { after, orderBy } = byIdAfter(pages.id, cursorText, "asc");
	const rows = await db
		.select()
		.from(pages)
		.where(and(after, withPrivate ? undefined : eq(pages.visibility, "public")))
		.orderBy(orderBy)
		.limit(limit + 1);
	return paginateById(rows, limit);
}

/** One page by id or slug, or 404. */
export async function getPage(db: Db, idOrSlug: string): Promise<PageRow> {
	const row = await db.query.pages.findFirst({ where: byIdOrSlug(pages, idOrSlug) });
	if (!row) throw notFound(idOrSlug);
	return row;
}

/** One page by its slug alone (`/p/:slug`: digits there are a slug that cannot exist, not an id), or 404. */
export async function getPageBySlug(db: Db, slug: string): Promise<PageRow> {
	const row = await db.query.pages.findFirst({ where: eq(pages.slug, slug) });
	if (!row) throw notFound(slug);
	return row;
}

/** Applies a PATCH; new tags and zones are checked as on create. The slug stays: it is the page's address. */
export async function updatePage(db: Db, idOrSlug: string, patch: UpdatePageInput, now: Date): Promise<PageRow> {
	const tags = unique(patch.tags);
	const zones = unique(patch.zones);
	await checkFilters(db, zones ?? [], tags ?? []);
	const [row] = await db
		.update(pages)
		.set({
			...(patch.title !== undefined && { title: patch.title }),
			...(patch.title_i18n !== undefined && { titleI18n: patch.title_i18n }),
			...(patch.description !== undefined && { description: patch.description }),
			...(patch.language !== undefined && { language: patch.language }),
			...(tags !== undefined && { tags }),
			...(zones !== undefined && { zones }),
			...(patch.visibility !== undefined && { visibility: patch.visibility }),
			updatedAt: now,
		})
		.where(byIdOrSlug(pages, idOrSlug))
		.returning();
	if (!row) throw notFound(idOrSlug);
	return row;
}

/** Deletes a page; its address answers 404 from then on. Milestones, zones and incidents stay. */
export async function deletePage(db: Db, idOrSlug: string): Promise<PageRow> {
	const [row] = await db.delete(pages).where(byIdOrSlug(pages, idOrSlug)).returning();
	if (!row) throw notFound(idOrSlug);
	return row;
}
