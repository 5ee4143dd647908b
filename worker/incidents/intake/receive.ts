import type { z } from "@hono/zod-openapi";
import type { Db } from "../../db/client";
import { statementOf } from "../../db/compiled";
import type { SourceRow } from "../../db/schema";
import { AppError, type FieldError } from "../../http/errors";
import { validationError } from "../../http/openapi";
import { Envelope, IncidentInput, MAX_BATCH, RetractInput, type WEBHOOK_TYPES } from "../schema";
import { collectWrites, findByExternalIds, type NewIncident, retractStatements, toIncidentRow, type UpsertedRow, upsertStatements } from "../write";
import { afterFailedWrite, deliveryStatement, type NewDelivery, reportDeliveryStatement, type StoredDelivery, snapshotOf } from "./receipts";
import { bodyDigest, verifyWebhook, type WebhookHeaders } from "./signature";
import { forget, type KnownSource, knownSource, validSecrets, zoneSnapshot } from "./snapshot";

export type WebhookType = (typeof WEBHOOK_TYPES)[number];

/** What a delivery answers; stored with the delivery so a replay gets the same. */
export interface DeliveryAnswer {
	status: number;
	body: { accepted: number; duplicates: number; ids: number[] };
}

/** A message as received: the source slug from the path, the signature headers, the raw body. */
export interface WebhookMessage {
	slug: string;
	headers: WebhookHeaders;
	body: string;
}

/**
 * Finds the source and checks the signature; 404 unknown, 403 inactive, 401 unsigned or stale.
 * A signature that fails against a cached source is checked once more against D1's copy, so a
 * rotation made through another isolate is honoured at once.
 */
async function authenticate(
	db: Db,
	m: WebhookMessage,
	secretsKey: string | null,
	now: Date,
	fresh: boolean,
): Promise<{ source: KnownSource; webhookId: string }> {
	const found = await knownSource(db, m.slug, secretsKey, fresh);
	if (!found) throw new AppError("not_found", `No webhook source "${m.slug}".`);
	if (!("current" in found)) throw new AppError("forbidden", `The source "${m.slug}" is deactivated.`);
	try {
		const { id } = await verifyWebhook(validSecrets(found, now), m.headers, m.body, now);
		return { source: found, webhookId: id };
	} catch (e) {
		if (fresh || !(e instanceof AppError) || e.code !== "unauthorized") throw e;
		return authenticate(db, m, secretsKey, now, true);
	}
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

/** How often a message is tried again with fresh source and zone data before giving up (503). */
const MAX_ATTEMPTS = 3;

/**
 * Takes in one signed message exactly once: authenticates it, validates all of it, then writes
 * every incident and the delivery row (the webhook-id and the answer for replays) in one atomic
 * D1 batch. Source and zones come from this isolate's snapshot; the delivery row's guard aborts
 * the batch if that snapshot is stale, and the message is tried again with fresh data. When the
 * batch fails because the webhook-id is taken, the stored answer is returned (422 if the body
 * differs). `admit` is the rate limit, counted once per message after the signature check.
 */
export async function receiveWebhook(
	db: Db,
	m: WebhookMessage,
	secretsKey: string | null,
	now: Date,
	admit: (source: SourceRow) => Promise<void>,
): Promise<DeliveryAnswer> {
	const digest = await bodyDigest(m.body);
	// Read after the first authentication (a stranger's junk is 401, not 400), and only once.
	let message: ReturnType<typeof readEnvelope> | undefined;
	for (let attempt = 1; ; attempt++) {
		const fresh = attempt > 1;
		const { source, webhookId } = await authenticate(db, m, secretsKey, now, fresh);
		if (!fresh) await admit(source.row);
		message ??= readEnvelope(m.body);
		const zones = await zoneSnapshot(db, fresh);
		const snapshot = snapshotOf(source.row, zones.version);
		const delivery: NewDelivery = { snapshot, webhookId, bodySha256: digest, now };
		try {
			if (message.report) {
				const rows = await incidentRows(db, message.report, source.row, zones.shapes, fresh, now);
				return await writeReport(db, rows, delivery);
			}
			return await writeRetraction(db, message.retract, source.row, delivery);
		} catch (e) {
			if (e instanceof AppError) throw e;
			const { existing, guardHolds } = await afterFailedWrite(db, webhookId, snapshot);
			if (existing) return replay(existing, digest);
			else if (guardHolds) throw e;
			else forget(db, m.slug);
			if (attempt >= MAX_ATTEMPTS)
				throw new AppError("unavailable", "The source or the zones kept changing while this message was written; retry shortly.", {
					headers: { "retry-after": "1" },
				});
		}
	}
}

/**
 * The message's incidents as rows. Zones come from the snapshot; if an item fails against a
 * cached snapshot (a zone slug created since it was read), the zones are read again first.
 */
async function incidentRows(
	db: Db,
	report: ReturnType<typeof readItems<z.infer<typeof IncidentInput>>>,
	source: SourceRow,
	shapes: Parameters<typeof toIncidentRow>[2],
	fresh: boolean,
	now: Date,
): Promise<NewIncident[]> {
	const convert = (zoneShapes: typeof shapes) => {
		const rows: NewIncident[] = [];
		const errors: FieldError[] = [];
		report.items.forEach((item, i) => {
			const result = toIncidentRow(item, source.id, zoneShapes, now);
			if ("errors" in result) for (const e of result.errors) errors.push({ path: report.at(i) + e.path, message: e.message });
			else rows.push(result.row);
		});
		return { rows, errors };
	};
	let result = convert(shapes);
	if (result.errors.length > 0 && !fresh) result = convert((await zoneSnapshot(db, true)).shapes);
	if (result.errors.length > 0) throw itemsError(result.errors.slice(0, 100));
	return result.rows;
}

/** Upserts the incidents and records the delivery in one batch; the answer is the stored one. */
async function writeReport(db: Db, rows: NewIncident[], delivery: NewDelivery): Promise<DeliveryAnswer> {
	const record = reportDeliveryStatement(
		db,
		delivery,
		rows.map((r) => r.externalId),
	);
	const results = await db.$client.batch<unknown>([...upsertStatements(db, rows), record]);
	const stored = results[results.length - 1]?.results[0] as { response: string } | undefined;
	const body = stored ? (JSON.parse(stored.response) as DeliveryAnswer["body"]) : undefined;
	// Cross-check the SQL-built answer against what the upserts returned.
	const written = collectWrites(rows, results.slice(0, -1) as D1Result<UpsertedRow>[], delivery.now);
	if (body?.accepted !== rows.length || body.duplicates !== written.updated || body.ids.join() !== written.ids.join()) {
		throw new AppError("internal", `The stored answer ${JSON.stringify(body)} does not match the upserts.`);
	}
	return { status: 202, body };
}

/** Marks the named incidents retracted and records the delivery in one batch. */
async function writeRetraction(
	db: Db,
	retract: ReturnType<typeof readItems<z.infer<typeof RetractInput>>>,
	source: SourceRow,
	delivery: NewDelivery,
): Promise<DeliveryAnswer> {
	const found = await findByExternalIds(
		db,
		source.id,
		retract.items.map((r) => r.external_id),
	);
	const errors: FieldError[] = [];
	const ids: number[] = [];
	let alreadyRetracted = 0;
	retract.items.forEach((item, i) => {
		const row = found.get(item.external_id);
		if (!row) errors.push({ path: `${retract.at(i)}/external_id`, message: `no incident "${item.external_id}" from this source` });
		else {
			ids.push(row.id);
			if (row.retractedAt) alreadyRetracted++;
		}
	});
	if (errors.length > 0) throw itemsError(errors.slice(0, 100));
	const answer: DeliveryAnswer = { status: 202, body: { accepted: ids.length, duplicates: alreadyRetracted, ids } };
	await db.$client.batch([...retractStatements(db, ids, delivery.now).map((q) => statementOf(db, q)), deliveryStatement(db, delivery, answer.body)]);
	return answer;
}

/** A delivery seen before: the stored answer, or 422 if this webhook-id came with another body. */
function replay(existing: StoredDelivery, digest: string): DeliveryAnswer {
	if (existing.bodySha256 !== digest) {
		throw new AppError("validation_failed", "This webhook-id was already used for a different body; send a new message with a new id.", {
			errors: [{ path: "/webhook-id", message: "reused with a different body" }],
		});
	}
	return { status: existing.status, body: existing.response as DeliveryAnswer["body"] };
}
