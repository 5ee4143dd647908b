// Baseline: a Worker that parses a JSON body and inserts one incident row with drizzle, into
// the same table (same indexes) the webhook writes. The signed webhook is measured against it.

import { incidents } from "@vigil/schema";
import { drizzle } from "drizzle-orm/d1";
import { Hono } from "hono";

interface Env {
	DB: D1Database;
}

interface Body {
	source_id: number;
	external_id: string;
	event_date: string;
	event_type: string;
	notes?: string;
}

const app = new Hono<{ Bindings: Env }>();
app.post("/insert", async (c) => {
	const body = await c.req.json<Body>();
	const now = new Date();
	const [row] = await drizzle(c.env.DB)
		.insert(incidents)
		.values({
			sourceId: body.source_id,
			externalId: body.external_id,
			eventDate: body.event_date,
			occurredPrecision: "day",
			occurredAt: new Date(`${body.event_date}T00:00:00Z`),
			reportedAt: now,
			updatedAt: now,
			eventType: body.event_type,
			notes: body.notes ?? null,
		})
		.returning({ id: incidents.id });
	return c.json({ id: row?.id }, 201);
});

export default { fetch: app.fetch } satisfies ExportedHandler<Env>;
