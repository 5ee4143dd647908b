import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { SEED_INCIDENTS, SEED_SOURCE, SEED_ZONES } from "../../worker/seed/incidents";
import { SEED_MILESTONES } from "../../worker/seed/iraq-2025";
import { loadSeed, type SeedReport } from "../../worker/seed/load";
import { SEED_PAGE } from "../../worker/seed/page";
import type { StatusJson } from "../../worker/status/schema";
import { call } from "../support/http";

const api = (method: string, path: string, body: unknown, contentType = "application/json") =>
	call(path, { method, admin: true, headers: { "content-type": contentType }, body: typeof body === "string" ? body : JSON.stringify(body) });
// Zones, milestones, the source and the page.
const rows = Object.keys(SEED_ZONES).length + SEED_MILESTONES.length + 2;

describe("the seed", () => {
	// Loaded twice before any test, as two starts of `npm start` would. Its slugs are the article's,
	// so only a load into a database that never had the seed can create them: this file's, here.
	let first: SeedReport;
	let again: SeedReport;
	beforeAll(async () => {
		first = await loadSeed(api);
		again = await loadSeed(api);
	});

	it("loads the article's milestones, zones, source and incidents once, however often it runs", async () => {
		expect(first).toEqual({ created: rows, existing: 0, incidents: { created: SEED_INCIDENTS.length, updated: 0 } });
		expect(again).toEqual({ created: 0, existing: rows, incidents: { created: 0, updated: SEED_INCIDENTS.length } });
		const n = await env.DB.prepare("SELECT count(*) AS n FROM milestones WHERE slug IN (?, ?, ?)")
			.bind(...SEED_MILESTONES.map((m) => m.slug))
			.first<{ n: number }>();
		expect(n?.n).toBe(3);
		const incidents = await env.DB.prepare("SELECT count(*) AS n FROM incidents i JOIN sources s ON s.id = i.source_id WHERE s.slug = ?")
			.bind(SEED_SOURCE.slug)
			.first<{ n: number }>();
		expect(incidents?.n).toBe(SEED_INCIDENTS.length);
	});

	it("puts the withdrawal at the start of October in Baghdad and the elections at the start of 11 November there", async () => {
		const withdrawal = await (await call("/api/milestones/coalition-leaves-ain-al-asad-and-camp-victory")).json();
		expect(withdrawal).toMatchObject({ due_at: "2025-09-30T21:00:00.000Z", due_label: "by September 2025", precision: "month" });
		const elections = await (await call("/api/milestones/iraq-parliamentary-elections-2025")).json();
		expect(elections).toMatchObject({ due_at: "2025-11-10T21:00:00.000Z", due_label: "on 11 November 2025", kind: "event" });
	});

	it("makes one public page of the article's situation: its withdrawal, drawdown and elections milestones and its three zones", async () => {
		const page = await (await call(`/api/pages/${SEED_PAGE.slug}`)).json();
		expect(page).toMatchObject({
			title: "Iraq after the withdrawal",
			title_i18n: { ar: "العراق بعد الانسحاب" },
			visibility: "public",
			zones: Object.keys(SEED_ZONES),
		});
		const s: StatusJson = await (await call(`/p/${SEED_PAGE.slug}/status`)).json();
		const shown = [...s.milestones.next, ...s.milestones.overdue_items, ...s.milestones.awaiting_outcome_items].map((m) => m.slug).sort();
		expect(shown).toEqual(expect.arrayContaining(SEED_MILESTONES.map((m) => m.slug)));
		expect(s.incidents.by_zone.map((z) => z.zone).every((z) => z !== null && z in SEED_ZONES)).toBe(true);
		const n = await env.DB.prepare("SELECT count(*) AS n FROM pages WHERE slug = ?").bind(SEED_PAGE.slug).first<{ n: number }>();
		expect(n?.n).toBe(1);
		expect(await (await call("/")).text()).toContain(`href="/p/${SEED_PAGE.slug}"`);
	});

	it("shows on /status", async () => {
		const s: StatusJson = await (await call("/status")).json();
		const all = [...s.milestones.next, ...s.milestones.overdue_items, ...s.milestones.awaiting_outcome_items].map((m) => m.slug);
		expect(all).toEqual(expect.arrayContaining(SEED_MILESTONES.map((m) => m.slug)));
	});
});
