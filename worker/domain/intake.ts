import type { z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { type SourceRow, sources } from "../db/schema";
import { AppError, type FieldError } from "../errors";
import { validationError } from "../routes/openapi";
import { Envelope, IncidentInput, MAX_BATCH, RetractInput, type WEBHOOK_TYPES } from "../schemas/incidents";
import { claimOrAwaitDelivery, completeDeliveryStatement, completeReportStatement, IN_PROGRESS, releaseDelivery } from "./deliveries";
import { collectWrites, findByExternalIds, loadZoneShapes, type NewIncident, retractStatements, toIncidentRow, upsertStatements } from "./incidents";
import { sourceSecrets } from "./sources";
import { bodyDigest, verifyWebhook, type WebhookHeaders } from "./webhooks";

export type WebhookType = (typeof WEBHOOK_TYPES)[number];

/** What a delivery answers; stored with the delivery so a replay gets the same. */
export interface DeliveryAnswer {
	status: number;
	body: { accepted: number; duplicates: number; ids: number[] };
}

/** Looks up the source and checks the signature; 404 unknown, 403 inactive, 401 unsigned or stale. */
export async function authenticateDelivery(
	db: Db,
	slug: string,
	headers: WebhookHeaders,
	body: string,
	secretsKey: string | null,
	now: Date,
): Promise<{ source: SourceRow; webhookId: string }> {
	const source = await db.query.sources.findFirst({ where: eq(sources.slug, slug) });
	if (!source) throw new AppError("not_found", `No webhook source "${slug}".`);
	if (!source.active) throw new AppError("forbidden", `The source "${slug}" is deactivated.`);
	const { id } = await verifyWebhook(await sourceSecrets(source, secretsKey, now), headers, body, now);
	return { source, webhookId: id };
}

const itemsError = (errors: FieldError[]) =>
	new AppError("validation_failed", `The message is not valid: ${errors.map((e) => `${e.path} ${e.message}`).join("; ")}`.slice(0, 1000), { errors });

/** Parses `data` (one item or `{incidents: [...]}`) with `schema`; errors name the item's index and field. */
function readItems<T extends { external_id: string }>(data: Record<string, unknown>, schema: z.ZodType<T>): { items: T[]; at: (i: number) => string } {
	const batch = "incidents" in data;
	const at = (i: number) => (batch ? `/data/incidents/${i}` : "/data");
	if (batch && !Array.isArray(data.incidents)) throw itemsError([{ path: "/data/incidents", message: "must be an array" }]);
	if (batch && Object.keys(data).length > 1) throw itemsError([{ path: "/data", message: "a batch has only `incidents`" }]);
	const list: unknown[] = Array.isArray(data.incidents) ? data.incidents : [data];
	if (list.length === 0) throw itemsError([{ path: "/data/incidents", message: "must hold at least one incident" }]);
	if (list.length > MAX_BATCH) throw itemsError([{ path: "/data/incidents", message: `at most ${MAX_BATCH} incidents per message (got ${list.length})` }]);
	const errors: FieldError[] = [];
	const items: T[] = [];
	const seen = new Map<string, number>();
	list.forEach((item, i) => {
		const parsed = schema.safeParse(item);
		if (!parsed.success) {
			for (const e of validationError("json", parsed.error).errors ?? []) errors.push({ path: at(i) + (e.path === "/" ? "" : e.path), message: e.message });
			return;
		}
		const first = seen.get(parsed.data.external_id);
		if (first !== undefined) errors.push({ path: `${at(i)}/external_id`, message: `repeats incident ${first} of this message` });
		else seen.set(parsed.data.external_id, i);
		items.push(parsed.data);
	});
	if (errors.length > 0) throw itemsError(errors.slice(0, 100));
	return { items, at };
}

/** Reads a message body: JSON (400 if not), the Standard Webhooks envelope and its items (422 naming field and index). */
export function readEnvelope(body: string) {
	let json: unknown;
	try {
		json = JSON.parse(body);
	} catch {
		throw new AppError("bad_request", "The body is not JSON.");
	}
	const envelope = Envelope.safeParse(json);
	if (!envelope.success) throw validationError("json", envelope.error);
	const { type, data } = envelope.data;
	return type === "incident.retracted" ? { type, retract: readItems(data, RetractInput) } : { type, report: readItems(data, IncidentInput) };
}

/**
 * Takes in one verified message exactly once: validates it all, claims the webhook-id, writes
 * every incident and the answer for replays in one D1 batch (all or nothing).
 * The same id with another body is 422; a copy that arrives while the first is still being
 * written waits for it (up to CLAIM_WAIT_MS) and answers the same, else 409 (retry later).
 */
export async function ingestDelivery(db: Db, source: SourceRow, webhookId: string, body: string, now: Date): Promise<DeliveryAnswer> {
	const message = readEnvelope(body);
	const rows: NewIncident[] = [];
	const retractIds: number[] = [];
	let alreadyRetracted = 0;
	const errors: FieldError[] = [];
	if (message.report) {
		const { items, at } = message.report;
		const shapes = await loadZoneShapes(db);
		items.forEach((item, i) => {
			const result = toIncidentRow(item, source.id, shapes, now);
			if ("errors" in result) for (const e of result.errors) errors.push({ path: at(i) + e.path, message: e.message });
			else rows.push(result.row);
		});
	} else {
		const { items, at } = message.retract;
		const found = await findByExternalIds(
			db,
			source.id,
			items.map((r) => r.external_id),
		);
		items.forEach((item, i) => {
			const row = found.get(item.external_id);
			if (!row) errors.push({ path: `${at(i)}/external_id`, message: `no incident "${item.external_id}" from this source` });
			else {
				retractIds.push(row.id);
				if (row.retractedAt) alreadyRetracted++;
			}
		});
	}
	if (errors.length > 0) throw itemsError(errors.slice(0, 100));

	const digest = await bodyDigest(body);
	const claim = await claimOrAwaitDelivery(db, source.id, webhookId, digest, now);
	if (!claim.owned) return replay(claim.existing, digest);

	try {
		if (rows.length > 0) {
			const [first, ...rest] = upsertStatements(db, rows);
			if (!first) throw new Error("no statements for a non-empty batch");
			const complete = completeReportStatement(
				db,
				claim.id,
				202,
				source.id,
				rows.map((r) => r.externalId),
				now,
			);
			const results = await db.batch([first, ...rest, complete]);
			const [stored] = results[results.length - 1] as { response: unknown }[];
			const body = stored?.response as DeliveryAnswer["body"] | undefined;
			// Cross-check the SQL-built answer against what the upserts returned.
			const written = collectWrites(rows, results.slice(0, -1) as Parameters<typeof collectWrites>[1], now);
			if (body?.accepted !== rows.length || body.duplicates !== written.updated || body.ids.join() !== written.ids.join()) {
				throw new Error(`stored answer ${JSON.stringify(body)} does not match the upserts`);
			}
			return { status: 202, body };
		}
		const answer: DeliveryAnswer = { status: 202, body: { accepted: retractIds.length, duplicates: alreadyRetracted, ids: retractIds } };
		const [first, ...rest] = retractStatements(db, retractIds, now);
		if (!first) throw new Error("no statements for a non-empty retraction");
		await db.batch([first, ...rest, completeDeliveryStatement(db, claim.id, answer.status, answer.body)]);
		return answer;
	} catch (e) {
		await releaseDelivery(db, claim.id).catch(() => undefined);
		throw e;
	}
}

/** A delivery seen before: the stored answer, 422 if the body changed, 409 if still in progress after the wait. */
function replay(existing: { status: number; bodySha256: string; response: unknown }, digest: string): DeliveryAnswer {
	if (existing.bodySha256 !== digest) {
		throw new AppError("validation_failed", "This webhook-id was already used for a different body; send a new message with a new id.", {
			errors: [{ path: "/webhook-id", message: "reused with a different body" }],
		});
	}
	if (existing.status === IN_PROGRESS)
		throw new AppError("conflict", "A delivery with this webhook-id is being processed; retry shortly.", { headers: { "retry-after": "5" } });
	return { status: existing.status, body: existing.response as DeliveryAnswer["body"] };
}
