import { z } from "@hono/zod-openapi";
import type { SourceRow } from "../db/schema";
import { Label, listOf, Page, Slug, Timestamp } from "../http/schemas";

export const CreateSource = z
	.object({ slug: Slug, name: Label(120) })
	.strict()
	.openapi("CreateSource", { example: { slug: "newsroom-scraper", name: "Newsroom scraper" } });

export const UpdateSource = z
	.object({ name: Label(120).optional(), active: z.boolean().optional().openapi({ description: "false deactivates: its webhooks answer 403" }) })
	.strict()
	.openapi("UpdateSource", { example: { active: false } });

export const Source = z
	.object({
		id: z.number().int(),
		slug: z.string(),
		name: z.string(),
		active: z.boolean(),
		webhook_url: z.string().openapi({ example: "https://vigil.example.org/webhooks/newsroom-scraper" }),
		created_at: Timestamp,
		rotated_at: Timestamp.nullable(),
		previous_secret_expires_at: Timestamp.nullable().openapi({ description: "Until then the secret before the last rotation is still accepted" }),
	})
	.openapi("Source");

/** One source as GET /api/sources/:id shows it: with what became of its queued webhooks that were never written. */
export const SourceDetail = Source.extend({
	ingest_failures: z
		.object({
			rejected: z.number().int(),
			dead_lettered: z.number().int(),
			last_failure: z
				.object({
					webhook_id: z.string(),
					kind: z.enum(["rejected", "dead_lettered"]),
					reason: z.string().openapi({ example: "invalid" }),
					detail: z.string().openapi({ example: 'The message is not valid: /data/zone no zone "wadi-hauran"' }),
					received_at: Timestamp,
					at: Timestamp,
				})
				.nullable(),
		})
		.openapi({
			description:
				"Queued webhooks (docs/intake.md) answered 202 but never written, in the last 90 days (older ones are pruned): rejected against the data at write time (a zone deleted, the source deactivated since), or dead-lettered after their retries",
		}),
}).openapi("SourceDetail");

export const SourceWithSecret = Source.extend({
	secret: z
		.string()
		.openapi({ description: "The signing secret (`whsec_…`). Shown this once, never again.", example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" }),
}).openapi("SourceWithSecret");

export const SourceQuery = Page.strict();
export const SourceList = listOf(Source, "SourceList");
export type CreateSourceInput = z.infer<typeof CreateSource>;
export type UpdateSourceInput = z.infer<typeof UpdateSource>;
export type SourceJson = z.infer<typeof Source>;

/** The public JSON for a source: never any secret, not even encrypted. */
export function sourceJson(row: SourceRow, appUrl: string): SourceJson {
	return {
		id: row.id,
		slug: row.slug,
		name: row.name,
		active: row.active,
		webhook_url: `${appUrl}/webhooks/${row.slug}`,
		created_at: row.createdAt.toISOString(),
		rotated_at: row.rotatedAt?.toISOString() ?? null,
		previous_secret_expires_at: row.previousExpiresAt?.toISOString() ?? null,
	};
}
