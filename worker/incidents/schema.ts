import { z } from "@hono/zod-openapi";
import { VERIFICATIONS } from "../db/schema";
import { DateOrInstant, HttpUrl, Label, LongText, listOf, Page, Slug, Tag } from "../http/schemas";
import { DueError } from "../time/due";
import { parseBBox } from "../zones";
import { ACLED_EVENT_TYPES, EVENT_TYPES, isSubEventOf, readEventDate, SUB_EVENT_TYPES } from "./acled";
import { fieldColumns, Incident } from "./columns";

export const MAX_BATCH = 500;

const EventDate = z
	.string()
	.max(40)
	.superRefine((text, ctx) => {
		try {
			readEventDate(text);
		} catch (e) {
			if (!(e instanceof DueError)) throw e;
			ctx.addIssue({ code: "custom", message: `not a date: ${e.message}` });
		}
	})
	.openapi({ description: "When it happened: 2025-08-20, 2025-08, 2025-Q3, 2025, RFC 3339 with offset, or ACLED's '20 August 2025'", example: "2025-08-20" });

export const ExternalId = Label(200).openapi({ description: "The sender's stable id (ACLED `event_id_cnty`)", example: "IRQ12345" });

/** One incident as a sender writes it: ACLED's field names where ACLED has one. */
export const IncidentInput = z
	.object({
		external_id: ExternalId,
		event_date: EventDate,
		event_type: z.enum(EVENT_TYPES).openapi({ description: "One of ACLED's six event types" }),
		sub_event_type: z
			.enum(SUB_EVENT_TYPES as [string, ...string[]])
			.optional()
			.openapi({ description: "An ACLED sub-event type of `event_type`" }),
		actor1: Label(300).optional(),
		actor2: Label(300).optional(),
		country: Label(80).optional(),
		admin1: Label(120).optional(),
		location: Label(200).optional(),
		latitude: z.number().min(-90).max(90).optional(),
		longitude: z.number().min(-180).max(180).optional(),
		fatalities: z.number().int().min(0).max(1_000_000).default(0),
		notes: LongText(10_000).optional().openapi({ description: "Stored as text; escaped wherever it is shown or exported" }),
		source: Label(500).optional().openapi({ description: "ACLED `source`: who reported it (outlets), not the webhook sender" }),
		source_url: HttpUrl.optional(),
		zone: Slug.optional().openapi({ description: "A zone slug; without it, coordinates place the incident in the zone containing them" }),
		tags: z.array(Tag).max(20).default([]),
	})
	.strict()
	.superRefine((v, ctx) => {
		if (v.sub_event_type !== undefined && !isSubEventOf(v.event_type, v.sub_event_type)) {
			const allowed = ACLED_EVENT_TYPES[v.event_type].join(", ");
			ctx.addIssue({ code: "custom", path: ["sub_event_type"], message: `not a sub-event type of "${v.event_type}" (one of: ${allowed})` });
		}
		if ((v.latitude === undefined) !== (v.longitude === undefined)) {
			ctx.addIssue({ code: "custom", path: [v.latitude === undefined ? "latitude" : "longitude"], message: "latitude and longitude go together" });
		}
	})
	.openapi("IncidentInput", {
		example: {
			external_id: "vigil-demo-1",
			event_date: "2025-08-20",
			event_type: "Battles",
			sub_event_type: "Armed clash",
			country: "Iraq",
			admin1: "Al Anbar",
			location: "Wadi Hauran",
			latitude: 33.3,
			longitude: 41.2,
			fatalities: 0,
			tags: [],
		},
	});

/** Each IncidentInput field with its column and its CSV name: what the upsert and the CSV import read. */
export const INPUT_COLUMNS = fieldColumns(Object.keys(IncidentInput.shape) as (keyof typeof IncidentInput.shape)[]);

/** Retraction names the incident; other fields are ignored. */
export const RetractInput = z.object({ external_id: ExternalId }).openapi("RetractInput");

const WEBHOOK_TYPES = ["incident.reported", "incident.updated", "incident.retracted"] as const;

/** The Standard Webhooks envelope; `data` is read per `type` after this (see readEnvelope). */
export const Envelope = z
	.object({
		type: z.enum(WEBHOOK_TYPES),
		timestamp: z.string().datetime({ offset: true }),
		data: z.record(z.string(), z.unknown()),
	})
	.strict()
	.openapi("WebhookEnvelope", {
		description: "`data` is one incident, or `{incidents: [...]}` with up to 500",
		example: {
			type: "incident.reported",
			timestamp: "2025-08-20T14:05:00Z",
			data: {
				external_id: "IRQ38412",
				event_date: "2025-08-20",
				event_type: "Explosions/Remote violence",
				sub_event_type: "Remote explosive/landmine/IED",
				actor1: "Islamic State (Iraq)",
				actor2: "Military Forces of Iraq (2022-)",
				country: "Iraq",
				admin1: "Al Anbar",
				location: "Wadi Hauran",
				latitude: 33.52,
				longitude: 41.1,
				fatalities: 2,
				source: "Shafaq News; Rudaw",
				tags: ["ied"],
			},
		},
	});

export const WebhookAccepted = z
	.object({
		accepted: z.number().int().openapi({ description: "Incidents written by this message" }),
		duplicates: z.number().int().openapi({ description: "Of those, how many updated an incident already known (re-sent external_id)" }),
		ids: z.array(z.number().int()).openapi({ description: "Incident ids, in the order of the message" }),
	})
	.openapi("WebhookAccepted");

export const WebhookQueued = z
	.object({
		accepted: z.number().int().openapi({ description: "Incidents in this message, to be written by the queue's consumer" }),
		queued: z.literal(true),
	})
	.openapi("WebhookQueued", {
		description: "The answer in queued mode (INGEST_QUEUE bound): verified, validated and queued; docs/intake.md says what follows",
	});

export type IncidentInputValue = z.infer<typeof IncidentInput>;

/** Filters shared by the list and both exports. */
export const IncidentFilters = z
	.object({
		zone: Slug.optional(),
		source: Slug.optional(),
		event_type: z.enum(EVENT_TYPES).optional(),
		sub_event_type: z.enum(SUB_EVENT_TYPES as [string, ...string[]]).optional(),
		verification: z.enum(VERIFICATIONS).optional(),
		since: DateOrInstant.optional().openapi({ description: "occurred_at at or after", example: "2025-08-01" }),
		until: DateOrInstant.optional().openapi({ description: "occurred_at before", example: "2025-09-01T00:00:00Z" }),
		bbox: z
			.string()
			.max(120)
			.refine((b) => parseBBox(b) !== null, "west,south,east,north in degrees")
			.transform((b) => parseBBox(b) as [number, number, number, number])
			.optional()
			.openapi({ example: "38.8,32.0,42.5,35.0" }),
	})
	.strict();

export const IncidentQuery = IncidentFilters.extend({
	...Page.shape,
	include_retracted: z
		.enum(["true", "false"])
		.default("false")
		.transform((v) => v === "true"),
}).strict();

export const IncidentList = listOf(Incident, "IncidentList");

export const UpdateIncident = z
	.object({
		verification: z.enum(VERIFICATIONS),
		verification_note: LongText(2000).optional(),
	})
	.strict()
	.superRefine((v, ctx) => {
		if (v.verification !== "unverified" && !v.verification_note?.trim()) {
			ctx.addIssue({ code: "custom", path: ["verification_note"], message: `a note is required to mark an incident ${v.verification}` });
		}
	})
	.openapi("UpdateIncident", { example: { verification: "verified", verification_note: "Confirmed by two independent outlets." } });

export const ImportQuery = z
	.object({ source: Slug.openapi({ description: "The source the rows are filed under (event_id_cnty is unique per source)" }) })
	.strict();

export const ImportResult = z
	.object({
		created: z.number().int(),
		updated: z.number().int(),
		rejected: z.number().int(),
		errors: z.array(
			z.object({
				row: z.number().int().openapi({ description: "1-based data row (the header is row 0)" }),
				event_id_cnty: z.string().nullable(),
				reasons: z.array(z.string()),
			}),
		),
	})
	.openapi("ImportResult");

export type IncidentFiltersValue = z.infer<typeof IncidentFilters>;
export type IncidentQueryValue = z.infer<typeof IncidentQuery>;
export type UpdateIncidentInput = z.infer<typeof UpdateIncident>;
export type ImportResultJson = z.infer<typeof ImportResult>;
