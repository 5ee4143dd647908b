// Queued webhooks that were never written are recorded for the source's page and /status, kept 90
// days, then pruned by the sweep's hourly chores.
import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { ingestFailures } from "../../../worker/db/schema";
import {
	FAILURE_RETENTION_MS,
	type NewFailure,
	pruneIngestFailures,
	pruneIngestFailuresSQL,
	sourceIngestFailures,
} from "../../../worker/incidents/intake/failures";
import { sweepAt } from "../../support/alerts";
import { db } from "../../support/db";
import { FakeEmail } from "../../support/fake-email";
import { createSource, msgId } from "../../support/intake";

const HOUR = 3_600_000;

const failure = (sourceId: number, kind: NewFailure["kind"], recordedAt: Date): NewFailure => ({
	sourceId,
	webhookId: msgId(),
	kind,
	reason: kind === "rejected" ? "invalid" : "dead_lettered",
	detail: "test",
	receivedAt: new Date(recordedAt.getTime() - 1_000),
	recordedAt,
});

// Pruning takes every failure older than the cutoff, whoever recorded it, so each test dates its
// rows in a year of its own, long before any a consumer records (stamped with today's clock).
describe("ingest failure retention", () => {
	it("pruneIngestFailures forgets failures of both kinds older than 90 days and keeps newer ones", async () => {
		const s = await createSource();
		const now = new Date("2003-06-01T00:00:00Z");
		const cutoff = now.getTime() - FAILURE_RETENTION_MS;
		const old = [failure(s.id, "rejected", new Date(cutoff - 1)), failure(s.id, "dead_lettered", new Date(cutoff - HOUR))];
		const kept = [failure(s.id, "rejected", new Date(cutoff)), failure(s.id, "dead_lettered", new Date(cutoff + HOUR))];
		await db.insert(ingestFailures).values([...old, ...kept]);

		expect(await pruneIngestFailures(db, now)).toBe(2);
		const left = await db.select().from(ingestFailures).where(eq(ingestFailures.sourceId, s.id));
		expect(left.map((r) => r.webhookId).sort()).toEqual(kept.map((f) => f.webhookId).sort());
		// The source's page counts what is kept.
		const shown = await sourceIngestFailures(db, s.id);
		expect([shown.rejected, shown.dead_lettered]).toEqual([1, 1]);
		expect(shown.last_failure?.webhook_id).toBe(kept[1]?.webhookId);
		expect(await pruneIngestFailures(db, now)).toBe(0);
	});

	it("walks the (kind, recorded_at) index rather than the whole table", async () => {
		const { sql, params } = pruneIngestFailuresSQL(db, new Date("2003-06-01T00:00:00Z"));
		const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
			.bind(...params)
			.all<{ detail: string }>();
		expect(plan.results.map((p) => p.detail).join("\n")).toMatch(
			/SEARCH ingest_failures USING (COVERING )?INDEX ingest_failures_kind_recorded \(kind=\? AND recorded_at<\?\)/,
		);
	});

	it("the sweep prunes them with its hourly chores, and counts them in its run", async () => {
		const s = await createSource();
		const now = new Date("2002-05-01T00:00:00Z");
		const old = failure(s.id, "dead_lettered", new Date(now.getTime() - FAILURE_RETENTION_MS - HOUR));
		await db.insert(ingestFailures).values(old);
		const counts = await sweepAt(new FakeEmail(), now.getTime());
		expect(counts.ingest_failures_pruned).toBe(1);
		expect(await db.select().from(ingestFailures).where(eq(ingestFailures.webhookId, old.webhookId))).toEqual([]);
	});
});
