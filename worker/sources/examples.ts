import type { z } from "@hono/zod-openapi";
import type { SourceDetail, SourceJson } from "./schema";

// Examples for the source routes. Secrets here spell out that they are examples: none was ever issued.

export const sourceExample = {
	id: 2,
	slug: "newsroom-scraper",
	name: "Newsroom scraper",
	active: true,
	webhook_url: "https://vigil.example.org/webhooks/newsroom-scraper",
	created_at: "2025-01-15T09:30:00.000Z",
	rotated_at: null,
	previous_secret_expires_at: null,
} satisfies SourceJson;

export const sourceListExample = {
	items: [
		{
			...sourceExample,
			id: 3,
			slug: "acled-weekly",
			name: "ACLED weekly import",
			webhook_url: "https://vigil.example.org/webhooks/acled-weekly",
			created_at: "2025-02-03T07:00:00.000Z",
		},
		sourceExample,
	],
	next_cursor: null,
} satisfies { items: SourceJson[]; next_cursor: string | null };

/** Base64 of "EXAMPLE-ONLY-not-a-real-secret!!": the shape of a real secret, and plainly not one. */
export const newSourceExample = { ...sourceExample, secret: "whsec_RVhBTVBMRS1PTkxZLW5vdC1hLXJlYWwtc2VjcmV0ISE=" } satisfies SourceJson & { secret: string };

/** Base64 of "EXAMPLE-ONLY-rotated-not-real!!!". */
export const rotatedSourceExample = {
	...sourceExample,
	rotated_at: "2025-09-01T10:00:00.000Z",
	previous_secret_expires_at: "2025-09-02T10:00:00.000Z",
	secret: "whsec_RVhBTVBMRS1PTkxZLXJvdGF0ZWQtbm90LXJlYWwhISE=",
} satisfies SourceJson & { secret: string };

export const deactivatedSourceExample = { ...sourceExample, active: false } satisfies SourceJson;

export const sourceDetailExample = {
	...sourceExample,
	ingest_failures: {
		rejected: 1,
		dead_lettered: 0,
		last_failure: {
			webhook_id: "msg_2Kp7",
			kind: "rejected",
			reason: "invalid",
			detail: 'The message is not valid: /data/zone no zone "wadi-hauran"',
			received_at: "2025-09-20T07:59:58.000Z",
			at: "2025-09-20T08:00:00.000Z",
		},
	},
} satisfies z.infer<typeof SourceDetail>;
