// Incidents for the retention tests, written as intake writes them (one batch, incident_hourly
// kept), and the two checks every such test makes: which of its rows remain, and that
// incident_hourly is still a GROUP BY of incidents.
import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { expect } from "vitest";
import { incidents, type VERIFICATIONS } from "../../worker/db/schema";
import { pruneIncidents } from "../../worker/incidents/retention";
import { IncidentInput } from "../../worker/incidents/schema";
import { type NewIncident, toIncidentRow, writeIncidents } from "../../worker/incidents/write";
import { db } from "./db";

export const DAY = 86_400_000;

/** Every column of a minimal incident as the intake writes it; each test sets those it varies. */
const BLANK = (() => {
	const written = toIncidentRow(IncidentInput.parse({ external_id: "blank", event_date: "2025", event_type: "Battles" }), 0, [], new Date(0));
	if ("errors" in written) throw new Error("a minimal incident does not convert");
	return written.row;
})();

/** An incident to write: when it occurred, its zone, its verification, retracted or not. */
export interface Spec {
	at: number;
	zoneId?: number | null;
	verification?: (typeof VERIFICATIONS)[number];
	retracted?: boolean;
}

let written = 0;
/** Writes the incidents of `specs` for one source in one batch; answers their ids in the same order. */
export async function writeSpecs(sourceId: number, specs: readonly Spec[]): Promise<number[]> {
	const rows: NewIncident[] = specs.map((s) => ({
		...BLANK,
		sourceId,
		externalId: `r-${written++}`,
		occurredAt: new Date(s.at),
		reportedAt: new Date(s.at),
		updatedAt: new Date(s.at),
		zoneId: s.zoneId ?? null,
		verification: s.verification ?? "verified",
		retractedAt: s.retracted ? new Date(s.at) : null,
	}));
	return (await writeIncidents(db, rows)).ids;
}

/** The ids of a source's incidents that remain, ascending. */
export async function remaining(sourceId: number): Promise<number[]> {
	const rows = await db.select({ id: incidents.id }).from(incidents).where(eq(incidents.sourceId, sourceId)).orderBy(incidents.id);
	return rows.map((r) => r.id);
}

/**
 * incident_hourly equals a GROUP BY of the counted incidents, over the whole table (an invariant,
 * whatever other tests wrote). Emptied buckets (n = 0) may linger until a prune: they are left out.
 */
export async function expectHourlyExact(): Promise<void> {
	const kept = await env.DB.prepare("SELECT zone_key, hour, n, verified FROM incident_hourly WHERE n <> 0 ORDER BY hour, zone_key").all();
	const grouped = await env.DB.prepare(
		`SELECT coalesce(zone_id, 0) AS zone_key, (occurred_at - ((occurred_at % 3600000) + 3600000) % 3600000) / 3600000 AS hour,
			count(*) AS n, sum(verification = 'verified') AS verified
		FROM incidents WHERE retracted_at IS NULL AND verification <> 'rejected' GROUP BY 1, 2 ORDER BY 2, 1`,
	).all();
	expect(kept.results).toEqual(grouped.results);
}

/**
 * Deletes whatever other tests left expired at these settings, so the counts a test then makes
 * are its own (storage is shared by the tests of a file).
 */
export async function drain(keepMs: number, now: number): Promise<void> {
	for (let i = 0; i < 1_000 && (await pruneIncidents(db, keepMs, new Date(now))) > 0; i++);
}
