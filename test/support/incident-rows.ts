// Zones, sources and incidents written straight into D1, as intake would leave them (no webhook,
// no signing): the data that status figures, the weekly chart and the feeds read. To go through
// the signed webhook instead, use ./intake.
import { type IncidentRow, incidents, sources, zones } from "../../worker/db/schema";
import { db } from "./db";
import { uniqueSlug } from "./http";

/** A zone with a unique slug. */
export async function makeZone(name = "Test zone") {
	const [zone] = await db
		.insert(zones)
		.values({ slug: uniqueSlug("z"), name })
		.returning();
	if (!zone) throw new Error("zone not inserted");
	return zone;
}

/** A webhook source; its secret column holds an opaque test value, never used to verify here. */
export async function makeSource() {
	const [source] = await db
		.insert(sources)
		.values({ slug: uniqueSlug("s"), name: "Test source", secretEnc: "test-ciphertext" })
		.returning();
	if (!source) throw new Error("source not inserted");
	return source;
}

let external = 0;
/** An incident row written directly, as intake would leave it. */
export async function makeIncident(sourceId: number, over: Partial<typeof incidents.$inferInsert> & { occurredAt: Date }): Promise<IncidentRow> {
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
