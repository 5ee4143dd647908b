import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { incidents } from "../../worker/db/schema";
import { incidentCounts } from "../../worker/incidents/queries";
import { db } from "../support/db";
import { call, problem } from "../support/http";
import { insertIncidentRows } from "../support/incident-rows";
import { createSource, deliver, envelope, incident } from "../support/intake";
import { createZone } from "../support/zones";

const HOUR = 3_600_000;

describe("verification", () => {
	it("PATCH sets verified or rejected with a note; a note is required; nothing changes on bad input", async () => {
		const s = await createSource();
		const { ids } = (await (await deliver(s.slug, s.secret, envelope(incident()))).json()) as { ids: number[] };
		const id = ids[0];
		const bad = await problem(await call(`/api/incidents/${id}`, { method: "PATCH", admin: true, json: { verification: "verified" } }), 422);
		expect(bad.errors?.[0]?.path).toBe("/verification_note");
		await problem(await call(`/api/incidents/${id}`, { method: "PATCH", admin: true, json: { verification: "maybe", verification_note: "x" } }), 422);
		await problem(await call(`/api/incidents/${id}`, { method: "PATCH", json: { verification: "verified", verification_note: "x" } }), 401);
		await problem(await call(`/api/incidents/999999999`, { method: "PATCH", admin: true, json: { verification: "verified", verification_note: "x" } }), 404);
		expect(
			(
				await db
					.select()
					.from(incidents)
					.where(eq(incidents.id, id ?? 0))
			)[0]?.verification,
		).toBe("unverified");

		const res = await call(`/api/incidents/${id}`, {
			method: "PATCH",
			admin: true,
			json: { verification: "verified", verification_note: "Two outlets confirm." },
		});
		expect(res.status).toBe(200);
		expect(await res.json()).toMatchObject({ id, verification: "verified", verification_note: "Two outlets confirm.", source: s.slug });
		expect((await (await call(`/api/incidents/${id}`)).json()) as object).toMatchObject({ verification: "verified" });
	});
});

describe("status incident figures", () => {
	afterEach(() => vi.useRealTimers());

	it("counts the last 24 h and 7 days by zone, without retracted or rejected, with the verified share", async () => {
		const now = new Date("2031-03-10T12:00:00Z");
		const s = await createSource();
		const zone = await createZone({ name: "Status zone" });
		const at = (hoursAgo: number) => new Date(now.getTime() - hoursAgo * HOUR);
		const base = {
			sourceId: s.id,
			eventDate: "x",
			occurredPrecision: "instant" as const,
			reportedAt: now,
			updatedAt: now,
			eventType: "Battles",
			zoneId: zone.id,
		};
		await insertIncidentRows([
			{ ...base, externalId: "s1", occurredAt: at(2), verification: "verified" },
			{ ...base, externalId: "s2", occurredAt: at(30) },
			{ ...base, externalId: "s3", occurredAt: at(100), zoneId: null },
			{ ...base, externalId: "s4", occurredAt: at(3), verification: "rejected" },
			{ ...base, externalId: "s5", occurredAt: at(4), retractedAt: now },
			{ ...base, externalId: "s6", occurredAt: at(24 * 8) },
			{ ...base, externalId: "s7", occurredAt: new Date(now.getTime() + HOUR) },
		]);
		const counts = await incidentCounts(db, now);
		expect(counts).toMatchObject({ last_24h: 1, last_7d: 3 });
		expect(counts.verified_share).toBeCloseTo(1 / 3, 3);
		expect(counts.by_zone).toEqual(
			expect.arrayContaining([
				{ zone: zone.slug, name: "Status zone", name_i18n: null, last_24h: 1, last_7d: 2 },
				{ zone: null, name: null, name_i18n: null, last_24h: 0, last_7d: 1 },
			]),
		);

		expect(await incidentCounts(db, new Date("2040-01-01T00:00:00Z"))).toEqual({ last_24h: 0, last_7d: 0, verified_share: null, by_zone: [] });
	});

	it("shows the figures in GET /status", async () => {
		// A week of its own: the clock the webhook is signed with and /status counts from.
		const now = Date.parse("2034-06-15T12:00:00Z");
		vi.useFakeTimers({ toFake: ["Date"] });
		vi.setSystemTime(now);
		const s = await createSource();
		expect((await deliver(s.slug, s.secret, envelope(incident({ event_date: new Date(now - 2 * HOUR).toISOString() })))).status).toBe(202);
		const body = (await (await call("/status")).json()) as { incidents: unknown };
		expect(body.incidents).toEqual({
			last_24h: 1,
			last_7d: 1,
			verified_share: 0,
			by_zone: [{ zone: null, name: null, name_i18n: null, last_24h: 1, last_7d: 1 }],
		});
	});
});
