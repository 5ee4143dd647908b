import { inArray } from "drizzle-orm";
import type { Db } from "../../db/client";
import { keepingHourly } from "../../db/hourly";
import { type SourceRow, sources } from "../../db/schema";
import type { FieldError } from "../../http/errors";
import { describeError, logEvent } from "../../log";
import { loadZoneSet, type ZoneShape } from "../../zones";
import { findByExternalIds, type NewIncident, retractStatements, toIncidentRow, upsertStatements } from "../write";
import { deadLetterStatement, failureStatement } from "./failures";
import { itemsError } from "./parse";
import { DeadLetter, QueuedMessage } from "./queued";
import { type Accepted, type NewReceipt, receiptStatement, reportReceiptStatements } from "./receipts";
import type { GuardValues } from "./snapshot";

/**
 * The ingest queue's consumer. A batch is written in message order, its reports in one D1 batch
 * (a retraction, which must see the reports before it, in one of its own), each message with its
 * receipt, so exactly once per webhook-id: a redelivered message finds its receipt and is skipped.
 * Each message is checked against data read now (source still active, zones still there) and a
 * receipt's guard fails the D1 batch if that data changes before the write; a message that fails
 * the check is recorded as rejected (failures.ts). A failed D1 batch retries its messages and every
 * later one, so a source's messages are never written out of order.
 */

type Queued = QueuedMessage;
interface Fresh {
	sources: Map<number, Pick<SourceRow, "id" | "active" | "secretEnc" | "previousExpiresAt">>;
	zones: { shapes: ZoneShape[]; version: string };
	/** Body digests of the receipts of this batch's webhook-ids, by `source:webhook-id`. */
	receipts: Map<string, string>;
}

const keyOf = (m: Queued) => `${m.source_id}:${m.webhook_id}`;

/** The sources, zones and receipts a batch is checked against, read in parallel. */
async function readFresh(db: Db, messages: readonly Queued[]): Promise<Fresh> {
	const ids = [...new Set(messages.map((m) => m.source_id))];
	const pairs = JSON.stringify(messages.map((m) => [m.source_id, m.webhook_id]));
	const [rows, zones, found] = await Promise.all([
		db
			.select({ id: sources.id, active: sources.active, secretEnc: sources.secretEnc, previousExpiresAt: sources.previousExpiresAt })
			.from(sources)
			.where(inArray(sources.id, ids)),
		loadZoneSet(db),
		// CROSS JOIN pins one probe of the unique (source_id, webhook_id) index per message.
		db.$client
			.prepare(
				"SELECT d.source_id, d.webhook_id, d.body_sha256 FROM json_each(?1) AS j CROSS JOIN deliveries AS d ON d.source_id = j.value ->> 0 AND d.webhook_id = j.value ->> 1",
			)
			.bind(pairs)
			.all<{ source_id: number; webhook_id: string; body_sha256: string }>(),
	]);
	return {
		sources: new Map(rows.map((r) => [r.id, r])),
		zones,
		receipts: new Map(found.results.map((r) => [`${r.source_id}:${r.webhook_id}`, r.body_sha256])),
	};
}

/** A message's fate once checked: statements to write it, a rejection, or nothing (a duplicate). */
type Plan =
	| { kind: "write"; statements: D1PreparedStatement[]; touched: readonly string[] }
	| { kind: "rejected"; statement: D1PreparedStatement }
	| { kind: "duplicate" };

function rejection(db: Db, m: Queued, reason: string, detail: string, now: Date): Plan {
	const statement = failureStatement(db, {
		sourceId: m.source_id,
		webhookId: m.webhook_id,
		kind: "rejected",
		reason,
		detail: detail.slice(0, 1000),
		receivedAt: new Date(m.received_at),
		recordedAt: now,
	});
	return { kind: "rejected", statement };
}

/** Checks one message against the fresh data (and what this batch wrote before it) and plans its write. */
async function plan(db: Db, m: Queued, fresh: Fresh, now: Date): Promise<Plan> {
	const seen = fresh.receipts.get(keyOf(m));
	if (seen !== undefined) {
		return seen === m.body_sha256
			? { kind: "duplicate" }
			: rejection(db, m, "webhook_id_reused", "This webhook-id was already used for a different body.", now);
	}
	const source = fresh.sources.get(m.source_id);
	if (!source?.active) return rejection(db, m, "inactive", "The source was deactivated after this message was queued.", now);
	const guard: GuardValues = {
		sourceId: source.id,
		secretEnc: source.secretEnc,
		previousExpiresAt: source.previousExpiresAt?.getTime() ?? null,
		zonesVersion: fresh.zones.version,
	};
	const receivedAt = new Date(m.received_at);
	const receipt: NewReceipt = { guard, webhookId: m.webhook_id, bodySha256: m.body_sha256, now: receivedAt };
	const at = (i: number) => (m.items.length > 1 ? `/data/incidents/${i}` : "/data");
	if (m.type === "incident.retracted") {
		const found = await findByExternalIds(
			db,
			m.source_id,
			m.items.map((r) => r.external_id),
		);
		const ids: number[] = [];
		const errors: FieldError[] = [];
		let duplicates = 0;
		m.items.forEach((item, i) => {
			const row = found.get(item.external_id);
			if (!row) errors.push({ path: `${at(i)}/external_id`, message: `no incident "${item.external_id}" from this source` });
			else {
				ids.push(row.id);
				if (row.retractedAt) duplicates++;
			}
		});
		if (errors.length > 0) return rejection(db, m, "unknown_external_id", itemsError(errors).message, now);
		const answer: Accepted = { accepted: ids.length, duplicates, ids };
		return { kind: "write", statements: [...retractStatements(db, ids, receivedAt), receiptStatement(db, receipt, answer)], touched: [] };
	}
	const rows: NewIncident[] = [];
	const errors: FieldError[] = [];
	m.items.forEach((item, i) => {
		const result = toIncidentRow(item, m.source_id, fresh.zones.shapes, receivedAt);
		if ("errors" in result) for (const e of result.errors) errors.push({ path: at(i) + e.path, message: e.message });
		else rows.push(result.row);
	});
	if (errors.length > 0) return rejection(db, m, "invalid", itemsError(errors).message, now);
	const externalIds = rows.map((r) => r.externalId);
	const { first, last } = reportReceiptStatements(db, receipt, externalIds);
	return { kind: "write", statements: [first, ...upsertStatements(db, rows, { newerOnly: true }), last], touched: externalIds };
}

/** One D1 batch of planned messages; the incidents the reports touch keep incident_hourly exact, per source. */
function segmentStatements(db: Db, planned: readonly { m: Queued; plan: Plan }[]): D1PreparedStatement[] {
	let statements: D1PreparedStatement[] = [];
	const touched = new Map<number, string[]>();
	for (const { m, plan } of planned) {
		if (plan.kind === "rejected") statements.push(plan.statement);
		if (plan.kind !== "write") continue;
		statements.push(...plan.statements);
		if (plan.touched.length > 0) touched.set(m.source_id, [...(touched.get(m.source_id) ?? []), ...plan.touched]);
	}
	for (const [sourceId, externalIds] of touched) statements = keepingHourly(db, { sourceId, externalIds }, statements);
	return statements;
}

/** Writes an ingest-queue batch (see the file's comment); acks each message once written, rejected or found a duplicate. */
export async function consumeIngest(batch: MessageBatch, db: Db, now: Date): Promise<void> {
	const counts = { messages: batch.messages.length, written: 0, duplicates: 0, rejected: 0, retried: 0, malformed: 0 };
	const valid: { message: Message; m: Queued }[] = [];
	for (const message of batch.messages) {
		const parsed = QueuedMessage.safeParse(message.body);
		if (parsed.success) valid.push({ message, m: parsed.data });
		else {
			// Not of this Worker's making: retried until the dead-letter queue keeps it, where it is counted.
			counts.malformed++;
			message.retry();
		}
	}
	let done = 0;
	try {
		const fresh = await readFresh(
			db,
			valid.map((v) => v.m),
		);
		while (done < valid.length) {
			// Reports run together; a retraction alone, after them, so that it sees what they wrote.
			const segment: { message: Message; m: Queued; plan: Plan }[] = [];
			for (let i = done; i < valid.length; i++) {
				const { message, m } = valid[i] as (typeof valid)[number];
				const retraction = m.type === "incident.retracted";
				if (retraction && segment.length > 0) break;
				const p = await plan(db, m, fresh, now);
				segment.push({ message, m, plan: p });
				// Later copies of this webhook-id in the batch are duplicates of this one.
				if (p.kind === "write") fresh.receipts.set(keyOf(m), m.body_sha256);
				if (retraction) break;
			}
			const statements = segmentStatements(db, segment);
			if (statements.length > 0) await db.$client.batch(statements);
			for (const { message, plan: p } of segment) {
				message.ack();
				counts[p.kind === "write" ? "written" : p.kind === "rejected" ? "rejected" : "duplicates"]++;
			}
			done += segment.length;
		}
		logEvent("ingest_batch", { queue: batch.queue, outcome: "ok", ...counts });
	} catch (e) {
		// D1 failed (or the data changed under a receipt's guard): this message and every later one are
		// retried, in order; those written before are acknowledged and found as duplicates if they come back.
		for (const { message } of valid.slice(done)) message.retry();
		counts.retried = valid.length - done;
		logEvent("ingest_batch", { queue: batch.queue, outcome: "retry", error: describeError(e).slice(0, 300), ...counts });
	}
}

/**
 * The dead-letter queue's consumer: records each message as dead-lettered, for /status and its
 * source, in one D1 batch (retried as a whole if D1 fails). One that names no source is logged only.
 */
export async function consumeIngestDeadLetters(batch: MessageBatch, db: Db, now: Date): Promise<void> {
	const statements: D1PreparedStatement[] = [];
	for (const message of batch.messages) {
		const parsed = DeadLetter.safeParse(message.body);
		if (!parsed.success) {
			logEvent("ingest_dead_letter", { queue: batch.queue, message_id: message.id, outcome: "malformed" });
			continue;
		}
		const { source_id, webhook_id, received_at } = parsed.data;
		statements.push(
			deadLetterStatement(db, {
				sourceId: source_id,
				webhookId: webhook_id,
				kind: "dead_lettered",
				reason: "retries_exhausted",
				detail: "Not written: its D1 writes kept failing until the queue's retries ran out. Send it again (a new webhook-id is not needed).",
				receivedAt: new Date(received_at),
				recordedAt: now,
			}),
		);
	}
	try {
		if (statements.length > 0) await db.$client.batch(statements);
		batch.ackAll();
		logEvent("ingest_dead_letter", { queue: batch.queue, outcome: "recorded", messages: batch.messages.length });
	} catch (e) {
		batch.retryAll();
		logEvent("ingest_dead_letter", { queue: batch.queue, outcome: "retry", error: describeError(e).slice(0, 300) });
	}
}
