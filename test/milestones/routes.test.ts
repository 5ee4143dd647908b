import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { MilestoneJson } from "../../worker/milestones/schema";
import { call, problem, uniqueSlug } from "../support/http";

async function create(body: Record<string, unknown>): Promise<MilestoneJson> {
	const res = await call("/api/milestones", { method: "POST", admin: true, json: { slug: uniqueSlug(), ...body } });
	expect(res.status, await res.clone().text()).toBe(201);
	return res.json();
}

const count = async (table: string) => (await env.DB.prepare(`SELECT count(*) AS n FROM ${table}`).first<{ n: number }>())?.n ?? 0;

describe("POST /api/milestones", () => {
	it("creates a deadline due at the end of its month in its zone", async () => {
		const res = await call("/api/milestones", {
			method: "POST",
			admin: true,
			json: { title: "Coalition leaves Ain al-Asad", due: "2025-09", timezone: "Asia/Baghdad", tags: ["withdrawal"], slug: uniqueSlug() },
		});
		expect(res.status).toBe(201);
		const m: MilestoneJson = await res.json();
		expect(m).toMatchObject({
			kind: "deadline",
			precision: "month",
			due_at: "2025-09-30T21:00:00.000Z",
			status: "scheduled",
			slip_count: 0,
			due_label: "by September 2025",
		});
		expect(m.alert_offsets).toEqual(["P30D", "P7D", "P1D", "PT0S"]);
		expect(res.headers.get("location")).toBe(`/api/milestones/${m.id}`);
		const row = await env.DB.prepare("SELECT due_at, timezone FROM milestones WHERE id = ?").bind(m.id).first();
		expect(row).toEqual({ due_at: Date.parse("2025-09-30T21:00:00Z"), timezone: "Asia/Baghdad" });
	});

	it("creates an event due at the start of its day, slugged from the title", async () => {
		const title = `Parliamentary elections ${uniqueSlug()}`;
		const res = await call("/api/milestones", { method: "POST", admin: true, json: { title, due: "2025-11-11", kind: "event", timezone: "Asia/Baghdad" } });
		const m: MilestoneJson = await res.json();
		expect(res.status).toBe(201);
		expect(m.due_at).toBe("2025-11-10T21:00:00.000Z");
		expect(m.slug).toMatch(/^parliamentary-elections-/);
	});

	it("never makes or takes a slug of digits only, which would read as an id", async () => {
		const generated = (await (await call("/api/milestones", { method: "POST", admin: true, json: { title: "2", due: "2031" } })).json()) as MilestoneJson;
		expect(generated.slug).toBe("milestone-2");
		expect(((await (await call("/api/milestones/milestone-2")).json()) as MilestoneJson).id).toBe(generated.id);
		const year = (await (await call("/api/milestones", { method: "POST", admin: true, json: { title: "2032 · 3", due: "2032" } })).json()) as MilestoneJson;
		expect(year.slug).toBe("milestone-2032-3");
		const given = await problem(await call("/api/milestones", { method: "POST", admin: true, json: { title: "x", due: "2031", slug: "2" } }), 422);
		expect(given.errors).toEqual([{ path: "/slug", message: expect.stringMatching(/letter/) }]);
		await problem(await call(`/api/milestones/${generated.id}`, { method: "PATCH", admin: true, json: { slug: "12-34" } }), 422);
		expect(((await (await call(`/api/milestones/${generated.id}`)).json()) as MilestoneJson).slug).toBe("milestone-2");
	});

	it("uses DEFAULT_TIMEZONE when none is given", async () => {
		const m = await create({ title: "Default zone", due: "2026-01" });
		expect(m.timezone).toBe(env.DEFAULT_TIMEZONE);
	});

	it("answers 409 for a duplicate slug and writes nothing", async () => {
		const slug = uniqueSlug();
		await create({ title: "First", due: "2026", slug });
		const before = await count("milestones");
		const body = await problem(await call("/api/milestones", { method: "POST", admin: true, json: { title: "Second", due: "2027", slug } }), 409);
		expect(body.errors?.[0]?.path).toBe("/slug");
		expect(await count("milestones")).toBe(before);
	});

	const bad: [string, unknown, number, string][] = [
		["a month that does not exist", { title: "x", due: "2025-13" }, 422, "/due"],
		["a day that does not exist", { title: "x", due: "2025-02-30" }, 422, "/due"],
		["an unknown time zone", { title: "x", due: "2025-09", timezone: "Mars/Base" }, 422, "/timezone"],
		["an empty title", { title: "   ", due: "2025-09" }, 422, "/title"],
		["a title over 200 characters", { title: "x".repeat(201), due: "2025-09" }, 422, "/title"],
		["a missing due", { title: "x" }, 422, "/due"],
		["an unknown field", { title: "x", due: "2025-09", colour: "red" }, 422, "/"],
		["an offset that is not a duration", { title: "x", due: "2025-09", alert_offsets: ["soon"] }, 422, "/alert_offsets"],
		["a month offset", { title: "x", due: "2025-09", alert_offsets: ["P1M"] }, 422, "/alert_offsets"],
		["a non-http source_url", { title: "x", due: "2025-09", source_url: "javascript:alert(1)" }, 422, "/source_url"],
		["an unknown kind", { title: "x", due: "2025-09", kind: "rumour" }, 422, "/kind"],
		["a title with a line break", { title: "a\r\nBcc: x@y", due: "2025-09" }, 422, "/title"],
		["an array body", [1, 2], 422, "/"],
	];
	it.each(bad)("refuses %s with a problem and writes nothing", async (_name, json, status, path) => {
		const before = await count("milestones");
		const body = await problem(await call("/api/milestones", { method: "POST", admin: true, json }), status);
		expect(body.errors?.some((e) => e.path.startsWith(path))).toBe(true);
		expect(await count("milestones")).toBe(before);
	});

	it("refuses malformed JSON with 400, and a wrong content type with 415", async () => {
		const before = await count("milestones");
		await problem(await call("/api/milestones", { method: "POST", admin: true, headers: { "content-type": "application/json" }, body: '{"title": "x",' }), 400);
		await problem(
			await call("/api/milestones", { method: "POST", admin: true, headers: { "content-type": "text/plain" }, body: '{"title":"x","due":"2025"}' }),
			415,
		);
		await problem(await call("/api/milestones", { method: "POST", admin: true, body: '{"title":"x","due":"2025"}' }), 415);
		expect(await count("milestones")).toBe(before);
	});

	it("refuses a body over the limit with 413", async () => {
		const res = await call("/api/milestones", { method: "POST", admin: true, json: { title: "x", due: "2025", description: "y".repeat(300 * 1024) } });
		await problem(res, 413);
	});

	it.each([
		["no token", {}],
		["a wrong token", { authorization: "Bearer nope" }],
		["a malformed header", { authorization: "Basic abc" }],
	])("refuses a write with %s: 401 and nothing written", async (_name, headers) => {
		const before = await count("milestones");
		const res = await call("/api/milestones", { method: "POST", headers, json: { title: "x", due: "2025" } });
		await problem(res, 401);
		expect(res.headers.get("www-authenticate")).toContain("Bearer");
		expect(await count("milestones")).toBe(before);
	});
});

describe("GET /api/milestones", () => {
	it("lists by due date with filters and a cursor that walks every page once", async () => {
		const tag = uniqueSlug("t");
		const dues = ["2031-05", "2031-01", "2031-03", "2031-02", "2031-04"];
		for (const due of dues) await create({ title: `m ${due}`, due, tags: [tag] });
		await create({ title: "other", due: "2031-01", kind: "event", tags: [tag] });
		const seen: string[] = [];
		let cursor: string | null = null;
		do {
			const q: string = `/api/milestones?tag=${tag}&kind=deadline&limit=2${cursor ? `&cursor=${cursor}` : ""}`;
			const page = (await (await call(q)).json()) as { items: MilestoneJson[]; next_cursor: string | null };
			seen.push(...page.items.map((m) => m.due));
			cursor = page.next_cursor;
		} while (cursor);
		expect(seen).toEqual([...dues].sort());
	});

	it("filters by status and by due_at range", async () => {
		const tag = uniqueSlug("t");
		const a = await create({ title: "a", due: "2032-01-10", tags: [tag] });
		await create({ title: "b", due: "2032-03-10", tags: [tag] });
		await call(`/api/milestones/${a.id}`, { method: "DELETE", admin: true });
		const cancelled = await (await call(`/api/milestones?tag=${tag}&status=cancelled`)).json();
		expect((cancelled as { items: MilestoneJson[] }).items.map((m) => m.id)).toEqual([a.id]);
		const ranged = (await (await call(`/api/milestones?tag=${tag}&from=2032-02-01T00:00:00Z&to=2032-04-01T00:00:00Z`)).json()) as { items: MilestoneJson[] };
		expect(ranged.items.map((m) => m.title)).toEqual(["b"]);
	});

	it("reads a date as the from and to bounds, and refuses one that does not exist naming the parameter", async () => {
		const tag = uniqueSlug("t");
		await create({ title: "c", due: "2032-03-10", tags: [tag] });
		const ranged = (await (await call(`/api/milestones?tag=${tag}&from=2032-02-29&to=2032-04-01`)).json()) as { items: MilestoneJson[] };
		expect(ranged.items.map((m) => m.title)).toEqual(["c"]);
		expect((await problem(await call(`/api/milestones?tag=${tag}&from=2031-02-29`), 400)).errors?.[0]?.path).toBe("/from");
		expect((await problem(await call(`/api/milestones?tag=${tag}&to=2032-04-31T00:00:00Z`), 400)).errors?.[0]?.path).toBe("/to");
	});

	it.each(["limit=0", "limit=1000", "limit=x", "cursor=garbage", "status=gone", "from=yesterday", "unknown=1"])("refuses ?%s with 400", async (q) => {
		await problem(await call(`/api/milestones?${q}`), 400);
	});
});

describe("GET /api/milestones/:id", () => {
	it("finds a milestone by id or slug", async () => {
		const m = await create({ title: "find me", due: "2030" });
		expect(((await (await call(`/api/milestones/${m.id}`)).json()) as MilestoneJson).slug).toBe(m.slug);
		expect(((await (await call(`/api/milestones/${m.slug}`)).json()) as MilestoneJson).id).toBe(m.id);
		await problem(await call("/api/milestones/999999999"), 404);
		await problem(await call("/api/milestones/no-such-slug"), 404);
	});
});

describe("PATCH /api/milestones/:id", () => {
	it("records a change of due date as a slip with its reason", async () => {
		const m = await create({ title: "drawdown", due: "2025-09", timezone: "Asia/Baghdad" });
		const res = await call(`/api/milestones/${m.id}`, { method: "PATCH", admin: true, json: { due: "2026-09", reason: "second phase postponed" } });
		expect(res.status).toBe(200);
		const updated: MilestoneJson = await res.json();
		expect(updated).toMatchObject({ due: "2026-09", due_at: "2026-09-30T21:00:00.000Z", slip_count: 1 });
		const revisions = (await (await call(`/api/milestones/${m.id}/revisions`)).json()) as { items: Record<string, unknown>[] };
		expect(revisions.items).toEqual([
			expect.objectContaining({
				old_due: "2025-09",
				new_due: "2026-09",
				old_due_at: "2025-09-30T21:00:00.000Z",
				new_due_at: "2026-09-30T21:00:00.000Z",
				reason: "second phase postponed",
			}),
		]);
	});

	it("does not count an edit that leaves due_at alone as a slip", async () => {
		const m = await create({ title: "stable", due: "2025-09" });
		const updated: MilestoneJson = await (
			await call(`/api/milestones/${m.id}`, { method: "PATCH", admin: true, json: { title: "stable, renamed", due: "2025-09" } })
		).json();
		expect(updated).toMatchObject({ title: "stable, renamed", slip_count: 0 });
		const n = await env.DB.prepare("SELECT count(*) AS n FROM milestone_revisions WHERE milestone_id = ?").bind(m.id).first<{ n: number }>();
		expect(n?.n).toBe(0);
	});

	it("counts a timezone change that moves due_at as a slip", async () => {
		const m = await create({ title: "tz", due: "2025-09", timezone: "UTC" });
		const updated: MilestoneJson = await (await call(`/api/milestones/${m.id}`, { method: "PATCH", admin: true, json: { timezone: "Asia/Baghdad" } })).json();
		expect(updated).toMatchObject({ due_at: "2025-09-30T21:00:00.000Z", slip_count: 1 });
	});

	it("marks a milestone met", async () => {
		const m = await create({ title: "met", due: "2025-09" });
		const updated: MilestoneJson = await (await call(`/api/milestones/${m.id}`, { method: "PATCH", admin: true, json: { status: "met" } })).json();
		expect(updated.status).toBe("met");
	});

	it("refuses to change a cancelled milestone, and writes nothing", async () => {
		const m = await create({ title: "gone", due: "2025-09" });
		await call(`/api/milestones/${m.id}`, { method: "DELETE", admin: true });
		await problem(await call(`/api/milestones/${m.id}`, { method: "PATCH", admin: true, json: { due: "2026-01" } }), 409);
		const row = await env.DB.prepare("SELECT due, slip_count FROM milestones WHERE id = ?").bind(m.id).first();
		expect(row).toEqual({ due: "2025-09", slip_count: 0 });
	});

	it("refuses bad patches and writes nothing", async () => {
		const m = await create({ title: "keep", due: "2025-09" });
		await problem(await call(`/api/milestones/${m.id}`, { method: "PATCH", admin: true, json: {} }), 422);
		await problem(await call(`/api/milestones/${m.id}`, { method: "PATCH", admin: true, json: { due: "2025-02-30" } }), 422);
		await problem(await call(`/api/milestones/${m.id}`, { method: "PATCH", admin: true, json: { status: "lost" } }), 422);
		await problem(await call(`/api/milestones/${m.id}`, { method: "PATCH", json: { due: "2026" } }), 401);
		const row = await env.DB.prepare("SELECT due, status, slip_count FROM milestones WHERE id = ?").bind(m.id).first();
		expect(row).toEqual({ due: "2025-09", status: "scheduled", slip_count: 0 });
	});

	it("answers 409 when the new slug is taken", async () => {
		const a = await create({ title: "a", due: "2025" });
		const b = await create({ title: "b", due: "2025" });
		await problem(await call(`/api/milestones/${b.id}`, { method: "PATCH", admin: true, json: { slug: a.slug } }), 409);
	});
});

describe("DELETE /api/milestones/:id", () => {
	it("cancels and keeps the row; a second delete is harmless", async () => {
		const m = await create({ title: "cancel me", due: "2025" });
		const res = await call(`/api/milestones/${m.id}`, { method: "DELETE", admin: true });
		expect(res.status).toBe(200);
		expect(((await res.json()) as MilestoneJson).status).toBe("cancelled");
		expect((await call(`/api/milestones/${m.id}`, { method: "DELETE", admin: true })).status).toBe(200);
		const row = await env.DB.prepare("SELECT status FROM milestones WHERE id = ?").bind(m.id).first();
		expect(row).toEqual({ status: "cancelled" });
		await problem(await call(`/api/milestones/${m.id}`, { method: "DELETE" }), 401);
	});
});

describe("concurrent edits", () => {
	it("never leave a revision for an update that lost the race", async () => {
		const m = await create({ title: "contested", due: "2025-09" });
		const answers = await Promise.all(
			["2026-01", "2026-02", "2026-03", "2026-04"].map((due) => call(`/api/milestones/${m.id}`, { method: "PATCH", admin: true, json: { due, reason: due } })),
		);
		const won = answers.filter((r) => r.status === 200).length;
		expect(won).toBeGreaterThanOrEqual(1);
		for (const r of answers) expect([200, 409]).toContain(r.status);
		const row = await env.DB.prepare(
			"SELECT slip_count, (SELECT count(*) FROM milestone_revisions WHERE milestone_id = ?1) AS revisions FROM milestones WHERE id = ?1",
		)
			.bind(m.id)
			.first<{ slip_count: number; revisions: number }>();
		expect(row?.revisions).toBe(won);
		expect(row?.slip_count).toBe(won);
	});
});
