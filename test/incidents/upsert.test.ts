// Incidents travel to D1 as one JSON parameter per statement (worker/incidents/write.ts). Every
// value must come back exactly as it went in: text with quotes, JSON look-alikes and any Unicode,
// doubles to the last bit, nulls, instants, and the JSON columns.

import { env } from "cloudflare:test";
import { and, type Column, eq, getTableColumns, inArray } from "drizzle-orm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_JSON_CHARS } from "../../worker/db/json-rows";
import { incidents } from "../../worker/db/schema";
import { type NewIncident, upsertStatements, writeIncidents } from "../../worker/incidents/write";
import { db } from "../support/db";
import { createSource } from "../support/intake";
import { propertyRuns, timeoutFor } from "../support/runs";

const text = fc.oneof(
	fc.string(),
	fc.string({ unit: "grapheme" }),
	fc.constantFrom('"quoted"', "[1,2]", '{"a":1}', "null", "123", "1e5", "'; DROP TABLE x; --"),
);
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
const instant = fc.date({ min: new Date("1990-01-01T00:00:00Z"), max: new Date("2040-01-01T00:00:00Z"), noInvalidDate: true });

/** Any value a column of its type holds, and null where the column allows it. */
function anyValue(column: Column): fc.Arbitrary<unknown> {
	const value: fc.Arbitrary<unknown> | null = column.enumValues?.length
		? fc.constantFrom(...column.enumValues)
		: column.dataType === "date"
			? instant
			: column.dataType === "string"
				? text
				: column.dataType === "json"
					? fc.jsonValue()
					: column.columnType === "SQLiteInteger"
						? fc.integer()
						: column.dataType === "number"
							? fc.double({ noNaN: true, noDefaultInfinity: true })
							: null;
	if (!value) throw new Error(`no arbitrary for incidents.${column.name} (${column.columnType})`);
	return column.notNull ? value : maybe(value);
}

/**
 * A row with every column of the table, each by its type, so a new column is checked as soon as it
 * exists; the keys and the zone reference are fixed, coordinates, fatalities and tags kept to their domain.
 */
function row(sourceId: number, externalId: string): fc.Arbitrary<NewIncident> {
	const given: Record<string, fc.Arbitrary<unknown>> = {
		sourceId: fc.constant(sourceId),
		externalId: fc.constant(externalId),
		zoneId: fc.constant(null),
		fatalities: fc.integer({ min: 0, max: 100_000 }),
		latitude: maybe(fc.double({ min: -90, max: 90, noNaN: true, noDefaultInfinity: true })),
		longitude: maybe(fc.double({ min: -180, max: 180, noNaN: true, noDefaultInfinity: true })),
		tags: fc.array(text, { maxLength: 4 }),
	};
	const { id: _, ...written } = getTableColumns(incidents);
	const arbitraries = Object.fromEntries(Object.entries(written).map(([key, column]) => [key, given[key] ?? anyValue(column)]));
	return fc.record(arbitraries) as fc.Arbitrary<NewIncident>;
}

/** -0 is stored as 0 by SQLite either way; everything else must be identical. */
const normalise = (r: NewIncident) => ({
	...r,
	latitude: r.latitude === 0 ? 0 : r.latitude,
	longitude: r.longitude === 0 ? 0 : r.longitude,
	raw: JSON.parse(JSON.stringify(r.raw)),
});

async function readBack(sourceId: number, externalIds: string[]) {
	const rows = await db
		.select()
		.from(incidents)
		.where(and(eq(incidents.sourceId, sourceId), inArray(incidents.externalId, externalIds)));
	return rows.map(({ id: _, ...rest }) => rest);
}

describe("writing incidents as one JSON parameter", () => {
	it("stores every column exactly as given, for any values", { timeout: timeoutFor(propertyRuns(150), 100) }, async () => {
		const s = await createSource();
		let n = 0;
		await fc.assert(
			fc.asyncProperty(
				fc.integer({ min: 1, max: 8 }).chain((k) => fc.tuple(...Array.from({ length: k }, () => row(s.id, `p-${n++}`)))),
				async (rows) => {
					await env.DB.batch(upsertStatements(db, rows));
					const back = await readBack(
						s.id,
						rows.map((r) => r.externalId),
					);
					const byId = new Map(back.map((r) => [r.externalId, r]));
					for (const r of rows) expect(byId.get(r.externalId)).toEqual(normalise(r));
				},
			),
			{ numRuns: propertyRuns(150) },
		);
	});

	it("splits a message too large for one parameter into several statements, and writes all of it", async () => {
		const s = await createSource();
		const now = new Date("2026-01-01T00:00:00Z");
		const notes = "n".repeat(40_000);
		const rows: NewIncident[] = Array.from({ length: Math.ceil((MAX_JSON_CHARS * 2.5) / notes.length) }, (_, i) => ({
			...fc.sample(row(s.id, `big-${i}`), { numRuns: 1, seed: i })[0],
			notes,
			reportedAt: now,
		})) as NewIncident[];
		const statements = upsertStatements(db, rows);
		expect(statements.length).toBe(3);
		const written = await writeIncidents(db, rows);
		expect(written).toMatchObject({ created: rows.length, updated: 0 });
		expect(new Set(written.ids).size).toBe(rows.length);
		expect(
			(
				await readBack(
					s.id,
					rows.map((r) => r.externalId),
				)
			).every((r) => r.notes === notes),
		).toBe(true);
	});
});
