import type { Db } from "../../db/client";
import { keepingHourly } from "../../db/hourly";
import type { SourceRow } from "../../db/schema";
import { AppError, type FieldError } from "../../http/errors";
import type { ZoneShape } from "../../zones";
import type { IncidentInputValue } from "../schema";
import { findByExternalIds, type NewIncident, retractStatements, toIncidentRow, upsertStatements } from "../write";
import { type Items, itemsError, type Message, type RetractItem, readEnvelope } from "./parse";
import { enqueue, type Queued } from "./queued";
import { type Accepted, afterFailedWrite, type NewReceipt, receiptStatement, reportReceiptStatements, type StoredReceipt } from "./receipts";
import { Refused } from "./refusal";
import { bodyDigest, decoySecret, NO_MATCH, unauthorized, verifyWebhook, type WebhookHeaders } from "./signature";
import { guardValues, invalidate, read, type Snapshot, validSecrets } from "./snapshot";

/** A message as received: the source slug from the path, the signature headers, the raw body. */
export interface WebhookMessage {
	slug: string;
	headers: WebhookHeaders;
	body: string;
}

/** How often a message is tried before giving up (503) while the source or the zones keep changing under it. */
const MAX_ATTEMPTS = 3;

/**
 * A failure that an out-of-date snapshot could explain. `error` is what it means once the
 * snapshot comes from D1; `raced` marks the write's guard, which can fail even then (the source
 * or the zones changed between that read and the write), so it is worth another try.
 */
class Stale {
	constructor(
		readonly error: AppError,
		readonly raced = false,
	) {}
}

/**
 * Takes in one signed message exactly once: verify, parse, then one atomic D1 batch that writes
 * every incident and the message's receipt (webhook-id, body digest, answer). A replay finds the
 * receipt and gets its answer, writing nothing (422 if the id comes with another body). A failure
 * the isolate's snapshot could explain is tried again after `invalidate`, against D1's data.
 * `admit` is the rate limit, counted once per message after the signature check. With `queue` (the
 * INGEST_QUEUE binding) a valid message is sent there instead, for the consumer to write (consume.ts).
 */
export async function receiveWebhook(
	db: Db,
	m: WebhookMessage,
	secretsKey: string | null,
	now: Date,
	admit: (source: SourceRow) => Promise<void>,
	queue?: Queue,
): Promise<Accepted | Queued> {
	const digest = await bodyDigest(m.body);
	let message: Message | undefined;
	for (let attempt = 1; ; attempt++) {
		try {
			const { snapshot, webhookId } = await verify(db, m, secretsKey, now);
			if (!message) {
				await admit(snapshot.sender.row);
				// Parsed after the signature check (a stranger's junk is 401, not 400), and only once.
				message = readEnvelope(m.body);
			}
			const receipt: NewReceipt = { guard: guardValues(snapshot), webhookId, bodySha256: digest, now };
			if (queue) {
				// Validated as a direct write would be (zones against this snapshot, read again from D1 on a miss);
				// retractions name incidents that may still be in the queue, so the consumer checks those.
				if (message.type !== "incident.retracted") placedRows(message.items, snapshot.zones, receipt);
				const queued = await enqueue(queue, message, { sourceId: receipt.guard.sourceId, webhookId, bodySha256: digest, now });
				if (queued) return queued;
			}
			const batch = message.type === "incident.retracted" ? await retraction(db, message.items, receipt) : report(db, message.items, snapshot.zones, receipt);
			return await commit(db, batch, receipt);
		} catch (e) {
			if (!(e instanceof Stale)) throw e;
			// Every attempt after the first reads D1: what fails then is the message's own.
			if (attempt === MAX_ATTEMPTS || (attempt > 1 && !e.raced)) throw e.error;
			invalidate(db, m.slug);
		}
	}
}

/**
 * The snapshot of the message's source and its webhook-id, once the signature holds. Whatever the
 * slug (unknown, deactivated or active), a message not correctly signed for it is 401 with the same
 * words, so strangers cannot tell which sources exist; only a correctly signed message hears that
 * its source is deactivated (403). A refusal is read again from D1 only if the entry was not fresh.
 */
async function verify(db: Db, m: WebhookMessage, secretsKey: string | null, now: Date): Promise<{ snapshot: Snapshot; webhookId: string }> {
	const found = await read(db, m.slug, secretsKey, now);
	if (found.state === "unknown") {
		// Checked all the same, against a secret nobody holds: the same answer, after the same work.
		const error = await verifyWebhook([decoySecret()], m.headers, m.body, now).then(
			() => unauthorized("bad_signature", NO_MATCH),
			(e: unknown) => e,
		);
		throw error instanceof AppError ? new Refused("unknown_source", error.code, error.message) : error;
	}
	const sender = found.state === "active" ? found.snapshot.sender : found.sender;
	let webhookId: string;
	try {
		webhookId = (await verifyWebhook(validSecrets(sender, now), m.headers, m.body, now)).id;
	} catch (e) {
		// The source may have been rotated through another isolate since this one read it.
		throw e instanceof AppError && e.code === "unauthorized" && !found.fresh ? new Stale(e) : e;
	}
	if (found.state === "inactive") {
		// Or reactivated through another isolate.
		const error = new Refused("inactive", "forbidden", `The source "${m.slug}" is deactivated.`);
		throw found.fresh ? error : new Stale(error);
	}
	return { snapshot: found.snapshot, webhookId };
}

/** A report's rows, placed in the snapshot's zones; a zone slug it does not know may be newer than it (Stale). */
function placedRows(items: Items<IncidentInputValue>, zones: readonly ZoneShape[], receipt: NewReceipt): NewIncident[] {
	const rows: NewIncident[] = [];
	const errors: FieldError[] = [];
	items.list.forEach((item, i) => {
		const result = toIncidentRow(item, receipt.guard.sourceId, zones, receipt.now);
		if ("errors" in result) for (const e of result.errors) errors.push({ path: items.at(i) + e.path, message: e.message });
		else rows.push(result.row);
	});
	// The only errors left are zone slugs, and the snapshot may predate a zone.
	if (errors.length > 0) throw new Stale(itemsError(errors));
	return rows;
}

/** A report's batch: its receipt, the upserts (keeping incident_hourly), and the receipt's ids from them. */
function report(db: Db, items: Items<IncidentInputValue>, zones: readonly ZoneShape[], receipt: NewReceipt): D1PreparedStatement[] {
	const rows = placedRows(items, zones, receipt);
	const externalIds = rows.map((r) => r.externalId);
	const { first, last } = reportReceiptStatements(db, receipt, externalIds);
	return [first, ...keepingHourly(db, { sourceId: receipt.guard.sourceId, externalIds }, upsertStatements(db, rows)), last];
}

/** A retraction's batch: mark the named incidents retracted, then the receipt (422 naming an unknown external_id). */
async function retraction(db: Db, items: Items<RetractItem>, receipt: NewReceipt): Promise<D1PreparedStatement[]> {
	const externalIds = items.list.map((r) => r.external_id);
	const found = await findByExternalIds(db, receipt.guard.sourceId, externalIds);
	const errors: FieldError[] = [];
	const ids: number[] = [];
	let duplicates = 0;
	items.list.forEach((item, i) => {
		const row = found.get(item.external_id);
		if (!row) errors.push({ path: `${items.at(i)}/external_id`, message: `no incident "${item.external_id}" from this source` });
		else {
			ids.push(row.id);
			if (row.retractedAt) duplicates++;
		}
	});
	if (errors.length > 0) throw itemsError(errors);
	const answer: Accepted = { accepted: ids.length, duplicates, ids };
	return [...retractStatements(db, ids, receipt.now), receiptStatement(db, receipt, answer)];
}

/**
 * Runs a message's batch, whose last statement hands back its receipt's answer, and answers that. If the batch
 * fails, the receipt may exist all the same (a concurrent copy won, or D1 committed before the
 * connection dropped): that is a replay. Without one, a guard that no longer holds means the
 * snapshot was stale; one that holds means D1 itself failed.
 */
async function commit(db: Db, batch: D1PreparedStatement[], receipt: NewReceipt): Promise<Accepted> {
	let results: D1Result<{ response: string }>[];
	try {
		results = await db.$client.batch<{ response: string }>(batch);
	} catch (e) {
		const { stored, guardHolds } = await afterFailedWrite(db, receipt);
		if (stored) return replay(stored, receipt.bodySha256);
		if (guardHolds) throw e;
		throw new Stale(
			new AppError("unavailable", "The source or the zones kept changing while this message was written; retry shortly.", { headers: { "retry-after": "1" } }),
			true,
		);
	}
	const written = results[results.length - 1]?.results[0];
	if (!written) throw new Error("The receipt's INSERT … RETURNING returned no row.");
	return JSON.parse(written.response) as Accepted;
}

/** The answer to a message seen before, or 422 if its webhook-id came with another body. */
function replay(stored: StoredReceipt, digest: string): Accepted {
	if (stored.bodySha256 !== digest) {
		throw new Refused("webhook_id_reused", "validation_failed", "This webhook-id was already used for a different body; send a new message with a new id.", {
			errors: [{ path: "/webhook-id", message: "reused with a different body" }],
		});
	}
	return stored.response;
}
