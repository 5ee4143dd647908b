// Retention as a property: for any incidents (counted, retracted, rejected, in any zone, around
// every cutoff) and any retention, runs of the chore leave exactly the incidents the rule keeps,
// at one clock and again at a later one, and incident_hourly stays a GROUP BY of incidents.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { VERIFICATIONS } from "../../worker/db/schema";
import { pruneIncidents, retentionCutoffs, UNCOUNTED_KEEP_MS } from "../../worker/incidents/retention";
import { db } from "../support/db";
import { insertSource, insertZone } from "../support/incident-rows";
import { DAY, drain, expectHourlyExact, remaining, type Spec, writeSpecs } from "../support/retention";
import { propertyRuns, timeoutFor } from "../support/runs";

/** Whether the rule keeps an incident at `now`, written from its statement in docs/deploy.md, not from the code. */
function kept(s: Spec, keepMs: number, now: number): boolean {
	const uncounted = s.retracted === true || s.verification === "rejected";
	if (s.at < now - keepMs) return false;
	return !(uncounted && s.at < now - Math.min(keepMs, 90 * DAY));
}

/** Runs the chore until a run deletes nothing (a run takes a bounded share); answers how many runs deleted something. */
async function untilDone(keepMs: number, now: number): Promise<number> {
	let runs = 0;
	while ((await pruneIncidents(db, keepMs, new Date(now))) > 0) runs++;
	return runs;
}

const incident = fc.record({
	// Near the cutoffs (to the millisecond) or anywhere in 200 days of them.
	anchor: fc.constantFrom("all", "uncounted", "now"),
	delta: fc.oneof(fc.constantFrom(-1, 0, 1), fc.integer({ min: -200 * DAY, max: 200 * DAY })),
	zone: fc.integer({ min: 0, max: 2 }),
	verification: fc.constantFrom(...VERIFICATIONS),
	retracted: fc.boolean(),
});

describe("retention (property)", () => {
	// Each case writes up to 40 incidents and runs the chore a few times: well under a second.
	const runs = propertyRuns(25);
	it("leaves exactly the incidents the rule keeps, at any clock, with exact hourly counts", { timeout: timeoutFor(runs, 2_000) }, async () => {
		const zones = await Promise.all([insertZone("Kept A"), insertZone("Kept B")]);
		const zoneIds = [null, ...zones.map((z) => z.id)];
		let run = 0;
		await fc.assert(
			fc.asyncProperty(
				fc.oneof(fc.integer({ min: 1, max: 400 }), fc.constantFrom(1, 89, 90, 91)),
				fc.array(incident, { maxLength: 40 }),
				fc.integer({ min: 0, max: 120 * DAY }),
				async (days, drawn, later) => {
					// Each case (shrinking included) has its own era, so its clock never reaches another's rows by accident.
					run++;
					const now = Date.UTC(2200 + 2 * run, 0, 1);
					const keepMs = days * DAY;
					const cutoffs = retentionCutoffs(keepMs, new Date(now));
					expect(cutoffs.uncounted.getTime()).toBe(now - Math.min(keepMs, UNCOUNTED_KEEP_MS));
					const base = { all: cutoffs.all.getTime(), uncounted: cutoffs.uncounted.getTime(), now };
					const specs: Spec[] = drawn.map((d) => ({
						at: base[d.anchor] + d.delta,
						zoneId: zoneIds[d.zone] ?? null,
						verification: d.verification,
						retracted: d.retracted,
					}));
					await drain(keepMs, now);
					const source = await insertSource();
					const ids = specs.length > 0 ? await writeSpecs(source.id, specs) : [];
					for (const at of [now, now + later]) {
						await untilDone(keepMs, at);
						const expected = ids.filter((_, i) => kept(specs[i] as Spec, keepMs, at)).sort((a, b) => a - b);
						expect(await remaining(source.id)).toEqual(expected);
						await expectHourlyExact();
					}
				},
			),
			{ numRuns: runs },
		);
	});
});
