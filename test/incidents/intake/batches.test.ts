import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { incidents } from "../../../worker/db/schema";
import { db } from "../../support/db";
import { faultyD1 } from "../../support/faulty-d1";
import { call, problem } from "../../support/http";
import { createSource, deliver, envelope, incident, msgId, postWith } from "../../support/intake";

const incidentsOf = (sourceId: number) => db.select().from(incidents).where(eq(incidents.sourceId, sourceId));

describe("webhook batches and incident lifecycle", () => {
	it("writes a batch of 500 in one message, in order (local D1 enforces the 100-parameter limit, so this proves the chunking)", async () => {
		const s = await createSource();
		const items = Array.from({ length: 500 }, (_, i) => incident({ external_id: `b-${i}`, fatalities: i % 7 }));
		const res = await deliver(s.slug, s.secret, envelope({ incidents: items }));
		expect(res.status).toBe(202);
		const body = (await res.json()) as { accepted: number; ids: number[] };
		expect(body.accepted).toBe(500);
		const rows = await incidentsOf(s.id);
		expect(rows).toHaveLength(500);
		const byId = new Map(rows.map((r) => [r.id, r.externalId]));
		expect(body.ids.map((id) => byId.get(id))).toEqual(items.map((i) => i.external_id));
	});

	it("retracts 198 incidents in as many D1 round trips as one: the named incidents are read in one query", async () => {
		const s = await createSource();
		const items = Array.from({ length: 200 }, (_, i) => incident({ external_id: `r-${i}` }));
		expect((await deliver(s.slug, s.secret, envelope({ incidents: items }))).status).toBe(202);
		// One binding for all three, as an isolate holds it, counting its round trips (failAt 0: none fails).
		const plan = { failAt: 0, calls: 0 };
		const database = faultyD1(env.DB, plan);
		const retract = async (ids: string[]) => {
			const before = plan.calls;
			const body = JSON.stringify(envelope({ incidents: ids.map((external_id) => ({ external_id })) }, "incident.retracted"));
			const res = await postWith(database, s.slug, s.secret, msgId(), body);
			expect(res.status).toBe(202);
			expect(((await res.json()) as { accepted: number }).accepted).toBe(ids.length);
			return plan.calls - before;
		};
		await retract(["r-0"]); // the isolate learns the source
		const one = await retract(["r-1"]);
		const many = await retract(items.slice(2).map((i) => i.external_id));
		expect(many).toBe(one);
		expect((await incidentsOf(s.id)).filter((r) => r.retractedAt !== null)).toHaveLength(200);
	});

	it("refuses a batch over 500, and a batch with one bad item, naming the index; nothing written", async () => {
		const s = await createSource();
		const tooMany = Array.from({ length: 501 }, () => incident());
		const p1 = await problem(await deliver(s.slug, s.secret, envelope({ incidents: tooMany })), 422);
		expect(p1.errors?.[0]?.path).toBe("/data/incidents");

		const items = [incident(), incident(), incident({ latitude: 91, longitude: 40 }), incident({ fatalities: -1 }), incident({ event_type: "Skirmish" })];
		const p2 = await problem(await deliver(s.slug, s.secret, envelope({ incidents: items })), 422);
		const paths = p2.errors?.map((e) => e.path) ?? [];
		expect(paths).toEqual(expect.arrayContaining(["/data/incidents/2/latitude", "/data/incidents/3/fatalities", "/data/incidents/4/event_type"]));
		expect(await incidentsOf(s.id)).toEqual([]);
	});

	it("rejects wrong sub-event types, impossible dates, lone coordinates, unknown zones and unknown types", async () => {
		const s = await createSource();
		const cases: [unknown, string][] = [
			[envelope(incident({ sub_event_type: "Air/drone strike" })), "/data/sub_event_type"],
			[envelope(incident({ event_date: "2025-02-30" })), "/data/event_date"],
			[envelope(incident({ event_date: "last week" })), "/data/event_date"],
			[envelope(incident({ latitude: 33 })), "/data/longitude"],
			[envelope(incident({ longitude: 181, latitude: 0 })), "/data/longitude"],
			[envelope(incident({ zone: "nowhere-zone" })), "/data/zone"],
			[envelope(incident({ surprise: 1 })), "/data"],
			[envelope(incident(), "incident.deleted"), "/type"],
			[{ type: "incident.reported", data: incident() }, "/timestamp"],
		];
		for (const [payload, path] of cases) {
			const p = await problem(await deliver(s.slug, s.secret, payload), 422);
			expect(p.errors?.map((e) => e.path)).toContain(path);
		}
		await problem(await deliver(s.slug, s.secret, null, { body: "not json" }), 400);
		expect(await incidentsOf(s.id)).toEqual([]);
	});

	it("updates in place on a re-sent external_id or incident.updated, keeping the id", async () => {
		const s = await createSource();
		const item = incident({ fatalities: 1 });
		const first = (await (await deliver(s.slug, s.secret, envelope(item))).json()) as { ids: number[] };
		const again = (await (await deliver(s.slug, s.secret, envelope({ ...item, fatalities: 3 }))).json()) as { ids: number[]; duplicates: number };
		expect(again.ids).toEqual(first.ids);
		expect(again.duplicates).toBe(1);
		const updated = await deliver(s.slug, s.secret, envelope({ ...item, fatalities: 4, notes: "revised" }, "incident.updated"));
		expect(updated.status).toBe(202);
		const rows = await incidentsOf(s.id);
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({ id: first.ids[0], fatalities: 4, notes: "revised" });
	});

	it("retracts: the row stays, the list and counts skip it; an unknown external_id is 422", async () => {
		const s = await createSource();
		const item = incident({ event_date: new Date().toISOString().slice(0, 10) });
		const { ids } = (await (await deliver(s.slug, s.secret, envelope(item))).json()) as { ids: number[] };
		const res = await deliver(s.slug, s.secret, envelope({ external_id: item.external_id }, "incident.retracted"));
		expect(res.status).toBe(202);
		expect(await res.json()).toEqual({ accepted: 1, duplicates: 0, ids });
		const [row] = await incidentsOf(s.id);
		expect(row?.retractedAt).toBeInstanceOf(Date);

		const list = (await (await call(`/api/incidents?source=${s.slug}`)).json()) as { items: unknown[] };
		expect(list.items).toEqual([]);
		const withRetracted = (await (await call(`/api/incidents?source=${s.slug}&include_retracted=true`)).json()) as { items: { id: number }[] };
		expect(withRetracted.items.map((i) => i.id)).toEqual(ids);

		const p = await problem(await deliver(s.slug, s.secret, envelope({ external_id: "never-sent" }, "incident.retracted")), 422);
		expect(p.errors?.[0]?.path).toBe("/data/external_id");
	});
});
