import { z } from "@hono/zod-openapi";
import { PAGE_LANGUAGES, PAGE_VISIBILITIES, type PageRow } from "../db/schema";
import { Label, LongText, listOf, Page as PageQueryBase, Slug, Tag, Timestamp, Translated } from "../http/schemas";

// The editable fields once; create requires slug and title, PATCH takes any of the others.
const fields = {
	title: Label(200).openapi({ example: "Iraq after the withdrawal" }),
	title_i18n: Translated(200),
	description: LongText(2000).openapi({ description: "Shown under the title; plain text" }),
	language: z.enum(PAGE_LANGUAGES).openapi({ description: "The language the page (and what it sends) is written in" }),
	tags: z
		.array(Tag)
		.max(50)
		.openapi({ description: "Milestone tags: a milestone belongs when it has one of them; empty: every milestone. Each must be on a milestone (422)" }),
	zones: z.array(Slug).max(50).openapi({ description: "Zone slugs whose incidents the page shows; empty: every zone. Each must exist (422)" }),
	visibility: z.enum(PAGE_VISIBILITIES).openapi({ description: "public: listed on / and open to anyone; private: needs the read or admin token" }),
};

export const CreatePage = z
	.object({ slug: Slug.openapi({ description: "The page's address: /p/<slug>" }), ...fields })
	.partial({ title_i18n: true, description: true, language: true, tags: true, zones: true, visibility: true })
	.strict()
	.openapi("CreatePage", {
		example: {
			slug: "iraq-after-the-withdrawal",
			title: "Iraq after the withdrawal",
			tags: ["withdrawal", "elections"],
			zones: ["wadi-hauran", "hamrin-mountains"],
		},
	});

export const UpdatePage = z
	.object(fields)
	.partial()
	.strict()
	.refine((v) => Object.keys(v).length > 0, { message: "give at least one field to change", when: (payload) => payload.issues.length === 0 })
	.openapi("UpdatePage", { example: { visibility: "private" } });

export const PageJson = z
	.object({
		id: z.number().int(),
		slug: z.string(),
		url: z.string().openapi({ description: "The page itself (HTML); its JSON is at <url>/status, its feeds at <url>/milestones.ics and <url>/incidents.atom" }),
		title: z.string(),
		title_i18n: Translated(200),
		description: z.string(),
		language: z.enum(PAGE_LANGUAGES),
		tags: z.array(z.string()),
		zones: z.array(z.string()),
		visibility: z.enum(PAGE_VISIBILITIES),
		created_at: Timestamp,
		updated_at: Timestamp.nullable(),
	})
	.openapi("Page");

export const PageQuery = PageQueryBase.strict();
export const PageList = listOf(PageJson, "PageList");

/** `/p/:slug`: any short text; one that names no page is a 404, like an unknown page. */
export const PageSlugParam = z.object({
	slug: z
		.string()
		.min(1)
		.max(80)
		.openapi({ param: { name: "slug", in: "path" }, example: "iraq-after-the-withdrawal" }),
});

export type CreatePageInput = z.infer<typeof CreatePage>;
export type UpdatePageInput = z.infer<typeof UpdatePage>;
export type PageJsonValue = z.infer<typeof PageJson>;

/** The public JSON for a page, with the address it is read at. */
export function pageJson(row: PageRow, appUrl: string): PageJsonValue {
	return {
		id: row.id,
		slug: row.slug,
		url: `${appUrl}/p/${row.slug}`,
		title: row.title,
		title_i18n: row.titleI18n,
		description: row.description,
		language: row.language,
		tags: row.tags,
		zones: row.zones,
		visibility: row.visibility,
		created_at: row.createdAt.toISOString(),
		updated_at: row.updatedAt?.toISOString() ?? null,
	};
}
