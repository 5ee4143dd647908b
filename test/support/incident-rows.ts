// Zones, sources and incidents inserted straight into D1, as intake would leave them (no API, no
// webhook, no signing): the data that status figures, the weekly chart and the feeds read. To go
// through the API instead, use createSource and deliver in ./intake, createZone in ./zones.
import { and, eq } from "drizzle-orm";
import { keepingHourly } from "../../worker/db/hourly";
import { type IncidentRow, incidents, sources, zones } from "../../worker/db/schema";
import { db } from "./db";
import { uniqueSlug } from "./http";

/** A zone row with a unique slug (no polygon). */
export async function insertZone(name = "Test zone") {
	const [zone] = await db
		.insert(zones)
		.values({ slug: uniqueSlug("z"), name })
		.returning();
	if (!zone) throw new Error("zone not inserted");
	return zone;
}

/** A source row; its secret column holds an opaque test value, so nothing can sign for it. */
export async function insertSource() {
	const [source] = await db
		.insert(sources)
		.values({ slug: uniqueSlug("s"), name: "Test source", secretEnc: "test-ciphertext" })
		.returning();
	if (!source) throw new Error("source not inserted");
	return source;
}

let external = 0;
/** An incident row inserted directly, as intake would leave it (incident_hourly kept as every write keeps it). */
export async function insertIncident(sourceId: number, over: Partial<typeof incidents.$inferInsert> & { occurredAt: Date }): Promise<IncidentRow> {
	const externalId = over.externalId ?? `ext-${Date.now().toString(36)}-${external++}`;
	const owner = over.sourceId ?? sourceId;
	const insert = db.insert(incidents).values({
		sourceId,
		externalId,
		eventDate: over.occurredAt.toISOString().slice(0, 10),
		occurredPrecision: "day",
		reportedAt: over.occurredAt,
		updatedAt: over.occurredAt,
		eventType: "Battles",
		verification: "verified",
		...over,
	});
	await db.$client.batch(keepingHourly(db, { sourceId: owner, externalIds: [externalId] }, [insert]));
	const [row] = await db
		.select()
		.from(incidents)
		.where(and(eq(incidents.sourceId, owner), eq(incidents.externalId, externalId)));
	if (!row) throw new Error("incident not inserted");
	return row;
}

/** Incident rows of one source inserted as given, 8 a statement (D1 binds at most 100 values), incident_hourly kept. */
export async function insertIncidentRows(rows: readonly (typeof incidents.$inferInsert)[]): Promise<void> {
	for (let i = 0; i < rows.length; i += 8) {
		const part = rows.slice(i, i + 8);
		const sourceId = part[0]?.sourceId ?? 0;
		if (part.some((r) => r.sourceId !== sourceId)) throw new Error("insertIncidentRows takes the rows of one source");
		await db.$client.batch(keepingHourly(db, { sourceId, externalIds: part.map((r) => r.externalId) }, [db.insert(incidents).values(part)]));
	}
}
