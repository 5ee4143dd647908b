import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { incidentHourly, incidents } from "../../worker/db/schema";
import { hourOf } from "../../worker/incidents/queries";
import { SEED_ZONES } from "../../worker/seed/incidents";
import { db } from "../support/db";
import { call, uniqueSlug } from "../support/http";
import { createSource, deliver, envelope, incident } from "../support/intake";
import { createZone } from "../support/zones";

const zoneIds: Record<string, number> = {};
const slugs: Record<string, string> = {};

async function zoneOf(source: { slug: string; secret: string }, over: Record<string, unknown>) {
	const res = await deliver(source.slug, source.secret, envelope(incident(over)));
	expect(res.status).toBe(202);
	const { ids } = (await res.json()) as { ids: number[] };
	const [row] = await db
		.select()
		.from(incidents)
		.where(eq(incidents.id, ids[0] ?? 0));
	return row?.zoneId ?? null;
}

describe("zone assignment by polygon", () => {
	beforeAll(async () => {
		for (const [key, zone] of Object.entries(SEED_ZONES)) {
			const created = await createZone({ ...zone, slug: uniqueSlug(key) });
			zoneIds[key] = created.id;
			slugs[key] = created.slug;
		}
	});

	it("puts an incident at a point inside the Wadi Hauran polygon in Wadi Hauran", async () => {
		const s = await createSource();
		expect(await zoneOf(s, { latitude: 33.5, longitude: 41.5 })).toBe(zoneIds["wadi-hauran"]);
		const list = (await (await call(`/api/incidents?zone=${slugs["wadi-hauran"]}&source=${s.slug}`)).json()) as { items: { zone: string }[] };
		expect(list.items.map((i) => i.zone)).toEqual([slugs["wadi-hauran"]]);
	});

	it("prefers the more specific zone where polygons overlap (Wadi Hauran inside the Badia)", async () => {
		const s = await createSource();
		expect(await zoneOf(s, { latitude: 32.9, longitude: 40.0 })).toBe(zoneIds["wadi-hauran"]);
		expect(await zoneOf(s, { latitude: 34.5, longitude: 38.5, country: "Syria" })).toBe(zoneIds["syrian-badia"]);
		expect(await zoneOf(s, { latitude: 34.5, longitude: 44.5, admin1: "Diyala" })).toBe(zoneIds["hamrin-mountains"]);
	});

	it("leaves an incident outside every polygon without a zone, and keeps an explicit zone slug", async () => {
		const s = await createSource();
		expect(await zoneOf(s, { latitude: 36.34, longitude: 43.13 })).toBeNull();
		expect(await zoneOf(s, { latitude: 33.5, longitude: 41.5, zone: slugs["hamrin-mountains"] })).toBe(zoneIds["hamrin-mountains"]);
	});

	it("assigns earlier unzoned incidents when a zone is drawn around them later", async () => {
		const s = await createSource();
		expect(await zoneOf(s, { latitude: -20.5, longitude: 10.5 })).toBeNull();
		const zone = await createZone({
			slug: uniqueSlug("late"),
			name: "Drawn later",
			polygon: {
				type: "Polygon",
				coordinates: [
					[
						[10, -21],
						[11, -21],
						[11, -20],
						[10, -20],
						[10, -21],
					],
				],
			},
		});
		const rows = await db.select().from(incidents).where(eq(incidents.sourceId, s.id));
		expect(rows.map((r) => r.zoneId)).toEqual([zone.id]);
		// The /status buckets follow the move (the assignment's batch keeps them), so the new zone counts it at once.
		const buckets = await db.select().from(incidentHourly).where(eq(incidentHourly.zoneKey, zone.id));
		expect(buckets).toEqual([{ zoneKey: zone.id, hour: hourOf(rows[0]?.occurredAt.getTime() ?? 0), n: 1, verified: 0 }]);
	});
});
