import { z } from "@hono/zod-openapi";
import type { SilenceRow } from "../db/schema";
import { Label, listOf, Page, Slug, Tag, Timestamp } from "../http/schemas";

export const CreateSilence = z
	.object({
		milestone: z.string().min(1).max(80).optional().openapi({ description: "A milestone id or slug" }),
		tag: Tag.optional().openapi({ description: "Every milestone with this tag" }),
		zone: Slug.optional().openapi({ description: "A zone slug: mutes its surge alerts" }),
		until: z.iso.datetime({ offset: true }).openapi({ description: "RFC 3339; must be in the future", example: "2025-10-01T00:00:00Z" }),
		reason: Label(500),
	})
	.strict()
	.refine((s) => [s.milestone, s.tag, s.zone].filter((x) => x !== undefined).length === 1, { message: "give exactly one of milestone, tag or zone", path: [] })
	.openapi("CreateSilence", { example: { tag: "elections", until: "2025-11-20T00:00:00Z", reason: "Covered by the elections desk" } });

export const Silence = z
	.object({
		id: z.number().int(),
		milestone_id: z.number().int().nullable(),
		tag: z.string().nullable(),
		zone: z.string().nullable(),
		until: Timestamp,
		reason: z.string(),
		active: z.boolean(),
		created_at: Timestamp,
	})
	.openapi("Silence");

export const SilenceList = listOf(Silence, "SilenceList");
export const SilenceQuery = Page.extend({
	active: z.enum(["true", "false"]).optional().openapi({ description: "true: only silences still in force" }),
}).strict();

export type CreateSilenceInput = z.infer<typeof CreateSilence>;
export type SilenceJson = z.infer<typeof Silence>;
export type SilenceQueryInput = z.infer<typeof SilenceQuery>;

export type SilenceWithZone = SilenceRow & { zoneSlug: string | null };

/** The public JSON for a silence. */
export function silenceJson(row: SilenceWithZone, now: Date): SilenceJson {
	return {
		id: row.id,
		milestone_id: row.milestoneId,
		tag: row.tag,
		zone: row.zoneSlug,
		until: row.until.toISOString(),
		reason: row.reason,
		active: row.until.getTime() > now.getTime(),
		created_at: row.createdAt.toISOString(),
	};
}
