// POST /api/milestones/:id/outcome through the Worker: each outcome, a postponement as a slip,
// corrections kept as history, the refusals that write nothing, and where an outcome and the
// awaiting state show (milestone JSON, /status, the status page, the calendar, the Atom feed).
import { env } from "cloudflare:test";
import { XMLParser } from "fast-xml-parser";
import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { ADMIN, call, problem, uniqueSlug } from "../support/http";

const DAY = 86_400_000;
/** A day-precision date `days` from today (UTC), as `due` takes it. */
const dayFromToday = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);

interface Json {
	id: number;
	slug: string;
	status: string;
	state: string;
	due: string;
	due_at: string;
	slip_count: number;
	outcome: { status: string; note: string; source_url: string | null; at: string } | null;
}

async function create(body: Record<string, unknown>): Promise<Json> {
	const res = await call("/api/milestones", { method: "POST", admin: true, json: { title: "Outcome test", slug: uniqueSlug("oc"), ...body } });
	expect(res.status).toBe(201);
	return (await res.json()) as Json;
}

const post = (id: number | string, json: unknown, admin = true) => call(`/api/milestones/${id}/outcome`, { method: "POST", admin, json });

/** What a refused request must leave exactly as it was: the row, its revisions, its outcomes. */
const snapshot = (id: number) =>
	Promise.all([
		env.DB.prepare("SELECT * FROM milestones WHERE id = ?").bind(id).first(),
		env.DB.prepare("SELECT count(*) AS n FROM milestone_revisions WHERE milestone_id = ?").bind(id).first(),
		env.DB.prepare("SELECT count(*) AS n FROM milestone_outcomes WHERE milestone_id = ?").bind(id).first(),
	]);

const history = async (id: number) =>
	((await (await call(`/api/milestones/${id}/outcomes`)).json()) as { items: { status: string; note: string; due: string | null }[] }).items;

describe("POST /api/milestones/:id/outcome", () => {
	it("an event past its day awaits its outcome; held closes it, and a correction is kept as history", async () => {
		const m = await create({ kind: "event", due: dayFromToday(-3) });
		expect(m).toMatchObject({ status: "scheduled", state: "awaiting_outcome", outcome: null });

		const held = await post(m.slug, { status: "held", note: "Polls opened on time", source_url: "https://example.org/ihec" });
		expect(held.status).toBe(200);
		expect(await held.json()).toMatchObject({
			status: "met",
			state: "met",
			outcome: { status: "held", note: "Polls opened on time", source_url: "https://example.org/ihec" },
		});

		const corrected = (await (await post(m.id, { status: "missed", note: "Postponed on the day by court order" })).json()) as Json;
		expect(corrected).toMatchObject({ status: "missed", state: "missed", outcome: { status: "missed", source_url: null } });
		expect((await history(m.id)).map((h) => h.status)).toEqual(["missed", "held"]);
		const row = await env.DB.prepare("SELECT next_check_at FROM milestones WHERE id = ?").bind(m.id).first();
		expect(row).toEqual({ next_check_at: null });
	});

	it("a deadline is met or missed; held is refused for it", async () => {
		const deadline = await create({ due: dayFromToday(-1) });
		expect(deadline.state).toBe("overdue");
		const before = await snapshot(deadline.id);
		const body = await problem(await post(deadline.id, { status: "held", note: "n/a" }), 422);
		expect(body.errors).toEqual([{ path: "/status", message: expect.stringContaining("deadline") }]);
		expect(await snapshot(deadline.id)).toEqual(before);
		expect(await (await post(deadline.id, { status: "met", note: "Last convoy left" })).json()).toMatchObject({ status: "met", outcome: { status: "met" } });
	});

	it("postponed is a slip with the note as its reason: scheduled again, the earlier outcome cleared", async () => {
		const m = await create({ kind: "event", due: dayFromToday(-2) });
		await post(m.id, { status: "held", note: "wrongly recorded" });
		const res = await post(m.id, {
			status: "postponed",
			note: "Moved by the electoral commission",
			due: dayFromToday(40),
			source_url: "http://example.org/ihec",
		});
		expect(res.status).toBe(200);
		const after = (await res.json()) as Json;
		expect(after).toMatchObject({ status: "scheduled", state: "scheduled", due: dayFromToday(40), slip_count: 1, outcome: null });
		const revisions = (await (await call(`/api/milestones/${m.id}/revisions`)).json()) as { items: { reason: string; new_due: string }[] };
		expect(revisions.items).toEqual([expect.objectContaining({ reason: "Moved by the electoral commission", new_due: dayFromToday(40) })]);
		expect(await history(m.id)).toEqual([
			expect.objectContaining({ status: "postponed", due: dayFromToday(40) }),
			expect.objectContaining({ status: "held", due: null }),
		]);
	});

	it("refuses bad input with 422 and writes nothing", async () => {
		const m = await create({ kind: "event", due: dayFromToday(-2) });
		const before = await snapshot(m.id);
		const cases: [unknown, string][] = [
			[{ status: "postponed", note: "no date" }, "/due"],
			[{ status: "postponed", note: "earlier", due: dayFromToday(-10) }, "/due"],
			[{ status: "postponed", note: "same instant", due: m.due }, "/due"],
			[{ status: "met", note: "date with met", due: dayFromToday(5) }, "/due"],
			[{ status: "met", note: "x", source_url: "javascript:alert(1)" }, "/source_url"],
			[{ status: "met", note: "x", source_url: "ftp://example.org/a" }, "/source_url"],
			[{ status: "met", note: "   " }, "/note"],
			[{ status: "done", note: "x" }, "/status"],
			[{ status: "met" }, "/note"],
			[{ status: "met", note: "x", extra: 1 }, ""],
		];
		for (const [json, path] of cases) {
			const body = await problem(await post(m.id, json), 422);
			if (path)
				expect(
					body.errors?.map((e) => e.path),
					JSON.stringify(json),
				).toContain(path);
		}
		expect(await snapshot(m.id)).toEqual(before);
	});

	it("404 for an unknown milestone, 401 without the admin token, 409 for a cancelled one", async () => {
		await problem(await post(uniqueSlug("nope"), { status: "met", note: "x" }), 404);
		const m = await create({ kind: "event", due: dayFromToday(-1) });
		const before = await snapshot(m.id);
		const denied = await post(m.id, { status: "met", note: "x" }, false);
		await problem(denied, 401);
		const wrong = await call(`/api/milestones/${m.id}/outcome`, {
			method: "POST",
			json: { status: "met", note: "x" },
			headers: { authorization: "Bearer wrong" },
		});
		await problem(wrong, 401);
		expect(await snapshot(m.id)).toEqual(before);
		expect((await call(`/api/milestones/${m.id}`, { method: "DELETE", headers: ADMIN })).status).toBe(200);
		await problem(await post(m.id, { status: "held", note: "x" }), 409);
	});
});

describe("where outcomes and the awaiting state show", () => {
	it("/status counts an event past its day as awaiting outcome, not overdue, and lists recent outcomes", async () => {
		const awaiting = await create({ kind: "event", title: "Awaited count", due: dayFromToday(-1) });
		const done = await create({ kind: "event", title: "Summit <b>held</b>", due: dayFromToday(-1) });
		await post(done.id, { status: "held", note: 'Communiqué "signed" <script>x</script>', source_url: "https://example.org/a?b=1&c=2" });
		const s = (await (await call("/status", { headers: { "cache-control": "no-cache" } })).json()) as {
			milestones: { overdue_items: { id: number }[]; awaiting_outcome: number; awaiting_outcome_items: { id: number }[]; recent_outcomes: { id: number }[] };
		};
		expect(s.milestones.awaiting_outcome).toBeGreaterThanOrEqual(1);
		expect(s.milestones.awaiting_outcome_items.map((m) => m.id)).toContain(awaiting.id);
		expect(s.milestones.overdue_items.map((m) => m.id)).not.toContain(awaiting.id);
		expect(s.milestones.recent_outcomes).toContainEqual(
			expect.objectContaining({ id: done.id, outcome: "held", note: 'Communiqué "signed" <script>x</script>', source_url: "https://example.org/a?b=1&c=2" }),
		);

		const html = await (await call("/", { headers: { "cache-control": "no-cache" } })).text();
		expect(html).toContain("Awaiting outcome (");
		expect(html).toContain("Communiqué &quot;signed&quot; &lt;script&gt;x&lt;/script&gt;");
		expect(html).toContain('href="https://example.org/a?b=1&amp;c=2"');
		expect(html).toContain("Summit &lt;b&gt;held&lt;/b&gt;");
		expect(html).not.toContain("<script>x</script>");
		expect(html).toContain('<tr data-kind="event"><td> <bdi>Awaited count</bdi>');
	});

	it("the calendar shows the outcome, its note and source, and raises SEQUENCE; a repeat of the same outcome does not", async () => {
		const m = await create({ kind: "event", title: "Calendar outcome", due: dayFromToday(-1) });
		const event = async () => {
			const cal = new ICAL.Component(ICAL.parse(await (await call("/feeds/milestones.ics")).text()));
			const vevent = cal.getAllSubcomponents("vevent").find((v) => v.getFirstPropertyValue("uid") === `milestone-${m.id}@vigil.test`);
			if (!vevent) throw new Error("not in the feed");
			const e = new ICAL.Event(vevent);
			return { sequence: e.sequence, summary: e.summary, description: e.description };
		};
		const before = await event();
		await post(m.id, { status: "held", note: "Turnout 56%; results on the 14th", source_url: "https://example.org/results" });
		const after = await event();
		expect(after.sequence).toBe(before.sequence + 1);
		expect(after.summary).toBe("Held: Calendar outcome");
		expect(after.description).toContain("Outcome: held.");
		expect(after.description).toContain("Turnout 56%; results on the 14th");
		expect(after.description).toContain("Source: https://example.org/results");
		await post(m.id, { status: "held", note: "Turnout 56%; results on the 14th", source_url: "https://example.org/results" });
		expect((await event()).sequence).toBe(after.sequence);
		await post(m.id, { status: "held", note: "Turnout 57% (final)", source_url: "https://example.org/results" });
		expect((await event()).sequence).toBe(after.sequence + 1);
	});

	it("the milestones Atom feed parses and tells outcome, note, source, and awaiting outcome", async () => {
		const awaiting = await create({ kind: "event", title: "Feed awaiting", due: dayFromToday(-1) });
		const held = await create({ kind: "event", title: "Feed held", due: dayFromToday(-1) });
		await post(held.id, { status: "held", note: "Ballots <counted> & sealed", source_url: "https://example.org/count" });
		const res = await call("/feeds/milestones.atom");
		expect(res.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
		const parser = new XMLParser({ ignoreAttributes: false, htmlEntities: false, isArray: (n) => n === "entry" || n === "link" || n === "category" });
		const doc = parser.parse(await res.text()) as {
			feed: { entry: { id: string; title: { "#text": string }; summary: { "#text": string }; link: { "@_href": string }[] }[] };
		};
		const byId = (id: number) => doc.feed.entry.find((e) => e.id === `https://vigil.test/api/milestones/${id}`);
		expect(byId(awaiting.id)?.title["#text"]).toBe("Awaiting outcome: Feed awaiting");
		expect(byId(awaiting.id)?.summary["#text"]).toContain("No outcome recorded yet.");
		const entry = byId(held.id);
		expect(entry?.title["#text"]).toBe("Held: Feed held");
		// type="html": the note is HTML-escaped inside the XML text, so a reader shows it as text.
		expect(entry?.summary["#text"]).toContain("Ballots &lt;counted&gt; &amp; sealed");
		expect(entry?.summary["#text"]).toContain("Source: https://example.org/count");
		expect(entry?.link.map((l) => l["@_href"])).toContain("https://example.org/count");
	});
});
