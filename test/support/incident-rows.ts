// Zones, sources and incidents inserted straight into D1, as intake would leave them (no API, no
// webhook, no signing): the data that status figures, the weekly chart and the feeds read. To go
// through the API instead, use createSource and deliver in ./intake, createZone in ./zones.
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
/** An incident row inserted directly, as intake would leave it. */
export async function insertIncident(sourceId: number, over: Partial<typeof incidents.$inferInsert> & { occurredAt: Date }): Promise<IncidentRow> {
	const [row] = await db
		.insert(incidents)
		.values({
			sourceId,
			externalId: `ext-${Date.now().toString(36)}-${external++}`,
			eventDate: over.occurredAt.toISOString().slice(0, 10),
			occurredPrecision: "day",
			reportedAt: over.occurredAt,
			updatedAt: over.occurredAt,
			eventType: "Battles",
			verification: "verified",
			...over,
		})
		.returning();
	if (!row) throw new Error("incident not inserted");
	return row;
}
