import { env } from "cloudflare:test";
import { and, asc, eq, gte, lte, ne, type SQL } from "drizzle-orm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SWEEP } from "../../worker/cron/jobs";
import type { Buildable } from "../../worker/db/compiled";
import { keepingHourly, TIDY_HOURLY, tidyHourly } from "../../worker/db/hourly";
import { incidentHourly, incidents, VERIFICATIONS } from "../../worker/db/schema";
import { HOUR_MS, hourOf, incidentCounts, incidentCountsQuery, verifyIncident } from "../../worker/incidents/queries";
import { IncidentInput } from "../../worker/incidents/schema";
import { CHART_WEEKS, countIncidentsByWeek, WEEK_MS, weekStart } from "../../worker/incidents/weekly";
import { retractStatements, toIncidentRow, writeIncidents } from "../../worker/incidents/write";
import { runScheduled } from "../../worker/scheduled";
import { db } from "../support/db";
import { FakeEmail } from "../support/fake-email";
import { insertIncident, insertSource, insertZone } from "../support/incident-rows";
import { propertyRuns, timeoutFor } from "../support/runs";

const DAY = 86_400_000;
type Verification = (typeof VERIFICATIONS)[number];

/** An incident as the model expects D1 to hold it. */
interface Modeled {
	id: number;
	at: number;
	zone: number | null;
	verification: Verification;
	retracted: boolean;
}

const counted = (m: Modeled) => !m.retracted && m.verification !== "rejected";
const key = fc.integer({ min: 0, max: 7 }); // few keys, so writes keep landing on the same incidents
/**
 * Offsets from a run's base: often in a few hours (so incidents share buckets, and the base's windows
 * have edges to find), else anywhere in ten days; at an hour's first or last millisecond, or within.
 */
const offset = fc
	.record({
		hours: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(-24 * 7, -24, -1, 0) }, { weight: 1, arbitrary: fc.integer({ min: -24 * 9, max: 24 }) }),
		within: fc.oneof(fc.constantFrom(0, 1, HOUR_MS - 1), fc.integer({ min: 0, max: HOUR_MS - 1 })),
	})
	.map(({ hours, within }) => hours * HOUR_MS + within);
const verification = fc.constantFrom(...VERIFICATIONS);
const op = fc.oneof(
	{
		weight: 3,
		// `at: null` re-sends an incident at the time it has (a new one goes at the base): a move of zone alone.
		arbitrary: fc.record({
			kind: fc.constant("put" as const),
			key,
			at: fc.option(offset, { nil: null }),
			zone: fc.integer({ min: 0, max: 2 }),
			verification,
			retracted: fc.constantFrom(false, false, false, true),
		}),
	},
	{ weight: 2, arbitrary: fc.record({ kind: fc.constant("verify" as const), key, verification }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant("retract" as const), key }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant("unretract" as const), key }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant("delete" as const), key }) },
	// No route writes occurred_at alone, deletes or un-retracts today; db/hourly.ts must keep the counts for any write all the same.
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant("retime" as const), key, at: offset }) },
);

/** Every column of a minimal incident as the intake writes it; the property sets those it varies. */
const BLANK = (() => {
	const written = toIncidentRow(IncidentInput.parse({ external_id: "blank", event_date: "2025", event_type: "Battles" }), 0, [], new Date(0));
	if ("errors" in written) throw new Error("a minimal incident does not convert");
	return written.row;
})();

/** A write of one incident that no route makes today, in the batch db/hourly.ts puts around every write. */
async function keptHourly(id: number, write: Buildable) {
	await db.$client.batch(keepingHourly(db, { ids: [id] }, [write]));
}

/** What the buckets must hold for these incidents: a GROUP BY (zone, hour) recomputed in JS. */
function expectedBuckets(model: Iterable<Modeled>) {
	const out = new Map<string, { zoneKey: number; hour: number; n: number; verified: number }>();
	for (const m of model) {
		if (!counted(m)) continue;
		const k = `${m.zone ?? 0}/${hourOf(m.at)}`;
		const b = out.get(k) ?? { zoneKey: m.zone ?? 0, hour: hourOf(m.at), n: 0, verified: 0 };
		b.n++;
		if (m.verification === "verified") b.verified++;
		out.set(k, b);
	}
	return [...out.values()].sort((a, b) => a.hour - b.hour || a.zoneKey - b.zoneKey);
}

/** The /status figures counted directly from the model. */
function directCounts(model: Iterable<Modeled>, now: number, slugOf: (zone: number | null) => string | null) {
	const byZone = new Map<number | null, { zone: string | null; last_24h: number; last_7d: number }>();
	let verified = 0;
	for (const m of model) {
		if (!counted(m) || m.at > now || m.at < now - 7 * DAY) continue;
		const z = byZone.get(m.zone) ?? { zone: slugOf(m.zone), last_24h: 0, last_7d: 0 };
		z.last_7d++;
		if (m.at >= now - DAY) z.last_24h++;
		if (m.verification === "verified") verified++;
		byZone.set(m.zone, z);
	}
	const zones = [...byZone.values()];
	const week = zones.reduce((n, z) => n + z.last_7d, 0);
	return {
		last_24h: zones.reduce((n, z) => n + z.last_24h, 0),
		last_7d: week,
		verified_share: week === 0 ? null : Math.round((verified / week) * 1000) / 1000,
		by_zone: zones.sort((a, b) => String(a.zone).localeCompare(String(b.zone))),
	};
}

describe("incident_hourly", () => {
	it("keeps one bucket per zone and hour, rounding down before 1970 too", async () => {
		const [zone, source] = await Promise.all([insertZone("Hour zone"), insertSource()]);
		for (const at of [-1, -HOUR_MS, -HOUR_MS - 1, 0, HOUR_MS - 1]) await insertIncident(source.id, { occurredAt: new Date(at), zoneId: zone.id });
		const rows = await db.select().from(incidentHourly).where(eq(incidentHourly.zoneKey, zone.id)).orderBy(asc(incidentHourly.hour));
		expect(rows.map((r) => [r.hour, r.n, r.verified])).toEqual([
			[-2, 1, 1],
			[-1, 2, 2],
			[0, 2, 2],
		]);
	});

	// Each case makes up to 50 writes and a few dozen reads: well under a second each, even on a loaded machine.
	const runs = propertyRuns(40);
	it("equals a GROUP BY of incidents, and the status and weekly figures a direct count, after any writes (property)", {
		timeout: timeoutFor(runs, 1_000),
	}, async () => {
		const [source, zoneA, zoneB] = await Promise.all([insertSource(), insertZone("Zone A"), insertZone("Zone B")]);
		const zoneIds = [null, zoneA.id, zoneB.id];
		const slugOf = (z: number | null) => (z === zoneA.id ? zoneA.slug : z === zoneB.id ? zoneB.slug : null);
		let run = 0;
		await fc.assert(
			fc.asyncProperty(
				fc.array(op, { minLength: 1, maxLength: 50, size: "max" }),
				fc.array(offset, { minLength: 1, maxLength: 4 }),
				async (ops, nowOffsets) => {
					// Each run (shrinking included) has its own year, every third one before 1970, so runs never share an hour or a window.
					run++;
					const base = run % 3 === 0 ? Date.UTC(1969 - run, 0, 1) : Date.UTC(2100 + run, 0, 1);
					const model = new Map<number, Modeled>();
					const clock = new Date(base);
					for (const o of ops) {
						const m = model.get(o.key);
						if (o.kind === "put") {
							const at = o.at === null ? (m?.at ?? base) : base + o.at;
							const zone = zoneIds[o.zone] ?? null;
							// Intake's upsert: a new incident takes every column, a re-sent one moves in time and zone only.
							const row = {
								...BLANK,
								sourceId: source.id,
								externalId: `hourly-${run}-${o.key}`,
								occurredAt: new Date(at),
								reportedAt: clock,
								updatedAt: clock,
								zoneId: zone,
								verification: o.verification,
								retractedAt: o.retracted ? clock : null,
							};
							const [id = 0] = (await writeIncidents(db, [row])).ids;
							model.set(o.key, m ? { ...m, at, zone } : { id, at, zone, verification: o.verification, retracted: o.retracted });
						} else if (m && o.kind === "verify") {
							await verifyIncident(db, String(m.id), { verification: o.verification, verification_note: "property" }, clock);
							m.verification = o.verification;
						} else if (m && o.kind === "retract") {
							await env.DB.batch(retractStatements(db, [m.id], clock));
							m.retracted = true;
						} else if (m && o.kind === "unretract") {
							await keptHourly(m.id, db.update(incidents).set({ retractedAt: null }).where(eq(incidents.id, m.id)));
							m.retracted = false;
						} else if (m && o.kind === "retime") {
							m.at = base + o.at;
							await keptHourly(
								m.id,
								db
									.update(incidents)
									.set({ occurredAt: new Date(m.at) })
									.where(eq(incidents.id, m.id)),
							);
						} else if (m && o.kind === "delete") {
							await keptHourly(m.id, db.delete(incidents).where(eq(incidents.id, m.id)));
							model.delete(o.key);
						}
					}

					// Buckets a write emptied stay, at zero, until the sweep tidies them; after that, none is left.
					const h = incidentHourly;
					const inRun = and(gte(h.hour, hourOf(base) - 24 * 10), lte(h.hour, hourOf(base) + 48));
					const buckets = (where: SQL | undefined) => db.select().from(h).where(where).orderBy(asc(h.hour), asc(h.zoneKey));
					expect(await buckets(and(inRun, ne(h.n, 0)))).toEqual(expectedBuckets(model.values()));
					await tidyHourly(db);
					expect(await buckets(inRun)).toEqual(expectedBuckets(model.values()));

					// Arbitrary instants, and the exact edges of the windows around each incident.
					const nows = nowOffsets.map((x) => base + x);
					for (const m of [...model.values()].slice(0, 3)) nows.push(m.at, m.at + DAY, m.at + DAY - 1, m.at + 7 * DAY, m.at + 7 * DAY + 1);
					for (const now of nows) {
						const got = await incidentCounts(db, new Date(now));
						const want = directCounts(model.values(), now, slugOf);
						expect(got.by_zone.map((z) => z.last_7d)).toEqual(got.by_zone.map((z) => z.last_7d).sort((a, b) => b - a));
						const byZone = got.by_zone.map(({ zone, last_24h, last_7d }) => ({ zone, last_24h, last_7d }));
						expect({ ...got, by_zone: byZone.sort((a, b) => String(a.zone).localeCompare(String(b.zone))) }).toEqual(want);
						if (now < 0) continue; // weeks are counted from 1970-01-05: the chart only ever shows recent ones
						const from = weekStart(now) - (CHART_WEEKS - 1) * WEEK_MS;
						const weekly = new Map<string, { count: number; verified: number }>();
						for (const m of model.values()) {
							if (!counted(m) || m.at < from || m.at > now) continue;
							const cell = weekly.get(`${slugOf(m.zone)}/${weekStart(m.at)}`) ?? { count: 0, verified: 0 };
							cell.count++;
							if (m.verification === "verified") cell.verified++;
							weekly.set(`${slugOf(m.zone)}/${weekStart(m.at)}`, cell);
						}
						const rows = await countIncidentsByWeek(db, new Date(now));
						expect(new Map(rows.map((r) => [`${r.zone}/${r.week}`, { count: r.count, verified: r.verified }]))).toEqual(weekly);
					}
				},
			),
			{ numRuns: runs },
		);
	});

	it("matches what the migration's backfill computes from incidents", async () => {
		const migration = env.TEST_MIGRATIONS.find((m) => m.name.includes("incident_hourly_kept_by_writes"));
		const backfill = migration?.queries.find((q) => q.includes("INSERT INTO `incident_hourly`") && q.includes("GROUP BY"));
		const select = backfill?.slice(backfill.indexOf("SELECT")).replace(/;\s*$/, "");
		expect(select).toMatch(/^SELECT [\s\S]+\sGROUP BY 1, 2$/);
		const source = await insertSource();
		await insertIncident(source.id, { occurredAt: new Date(-HOUR_MS - 1) });
		await insertIncident(source.id, { occurredAt: new Date(Date.UTC(2031, 0, 1, 5, 30)), verification: "rejected" });
		const differ = (a: string, b: string) => env.DB.prepare(`SELECT count(*) AS n FROM (${a} EXCEPT ${b})`).first<{ n: number }>();
		const table = "SELECT zone_key, hour, n, verified FROM incident_hourly WHERE n <> 0";
		const recomputed = `SELECT * FROM (${select})`;
		expect(await differ(table, recomputed)).toEqual({ n: 0 });
		expect(await differ(recomputed, table)).toEqual({ n: 0 });
	});
});

describe("the /status query plan", () => {
	it("reads whole hours from incident_hourly, and incidents only in the three edge hours' occurred_at ranges (never a SCAN)", async () => {
		const { sql, params } = incidentCountsQuery(db, new Date("2031-03-10T12:34:56Z")).toSQL();
		const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
			.bind(...params)
			.all<{ detail: string }>();
		const details = plan.results.map((p) => p.detail);
		expect(details).toContain("SEARCH incident_hourly USING INDEX sqlite_autoindex_incident_hourly_1 (hour>? AND hour<?)");
		expect(details.filter((d) => /\bincidents\b/.test(d))).toEqual(
			Array(3).fill("SEARCH incidents USING COVERING INDEX incidents_occurred_counts (occurred_at>? AND occurred_at<?)"),
		);
	});

	it("leaves a bucket a retraction emptied at zero, unread, until the sweep that opens an hour deletes it", async () => {
		const [zone, source] = await Promise.all([insertZone("Emptied zone"), insertSource()]);
		const at = Date.UTC(2040, 2, 3, 4, 5);
		const { id } = await insertIncident(source.id, { occurredAt: new Date(at), zoneId: zone.id });
		await env.DB.batch(retractStatements(db, [id], new Date(at)));
		const bucket = () => db.select().from(incidentHourly).where(eq(incidentHourly.zoneKey, zone.id));
		expect((await bucket()).map((b) => b.n)).toEqual([0]);
		const counts = await incidentCounts(db, new Date(at + HOUR_MS));
		expect(counts.by_zone.map((z) => z.zone)).not.toContain(zone.slug);
		const hour = Date.UTC(2040, 2, 3, 6);
		const bindings = { ...env, EMAIL: new FakeEmail() };
		await runScheduled({ cron: SWEEP.cron, scheduledTime: hour - 30 * 60_000 }, bindings, new Date(hour - 30 * 60_000));
		expect(await bucket()).toHaveLength(1);
		await runScheduled({ cron: SWEEP.cron, scheduledTime: hour }, bindings, new Date(hour + 2_000));
		expect(await bucket()).toEqual([]);
		const run = await db.query.cronRuns.findFirst({ where: (r, { eq }) => eq(r.scheduledTime, new Date(hour)) });
		expect(run?.counts).toMatchObject({ hourly_buckets_tidied: expect.any(Number) });
		expect(Number(run?.counts?.hourly_buckets_tidied)).toBeGreaterThanOrEqual(1);
	});

	it("deletes emptied buckets through the partial index that holds only them, never scanning the table", async () => {
		const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${TIDY_HOURLY}`).all<{ detail: string }>();
		expect(plan.results.map((p) => p.detail)).toEqual(["SCAN incident_hourly USING INDEX incident_hourly_empty"]);
	});
});
