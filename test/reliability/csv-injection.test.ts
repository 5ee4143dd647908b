// Spreadsheet formulas sent through a signed webhook, in every free-text field that reaches the
// CSV export, come out inert: no cell starts with = + - @ TAB or CR, and the text is still there.
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { call, uniqueSlug } from "../support/http";
import { createSource, deliver, envelope } from "../support/intake";

const FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"];

describe("CSV export of hostile text", () => {
	it.each(FORMULAS)("neutralises %j in every text column", async (payload) => {
		const { slug, secret } = await createSource("csv");
		const externalId = uniqueSlug("formula");
		const data = {
			external_id: externalId,
			event_date: "2025-09-01",
			event_type: "Battles",
			actor1: payload.replace(/[\t\r]/g, ""),
			location: payload.replace(/[\t\r]/g, ""),
			notes: payload,
			country: "Iraq",
			latitude: 33.1,
			longitude: 42.2,
		};
		const sent = await deliver(slug, secret, envelope(data));
		expect(sent.status, await sent.clone().text()).toBe(202);

		const csv = await (await call("/api/incidents.csv")).text();
		const rows = Papa.parse<string[]>(csv, { skipEmptyLines: true }).data;
		const row = rows.find((cells) => cells.includes(externalId));
		expect(row, "the incident is in the export").toBeDefined();
		for (const cell of row ?? []) expect(cell, `cell ${JSON.stringify(cell)}`).not.toMatch(/^[=+\-@\t\r]/);
		expect(row?.some((cell) => cell.includes(payload.replace(/^[\t\r]/, "")))).toBe(true);
	});
});
