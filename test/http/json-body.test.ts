// Text that JSON can carry but storage cannot keep (lone UTF-16 surrogates, which D1 turns into
// U+FFFD) and keys that JavaScript objects swallow (__proto__): every JSON body of the API and
// every webhook is refused with 422 naming where, and nothing is written.
import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { incidents, milestones, sources, subscribers, zones } from "../../worker/db/schema";
import { ROUTES } from "../reliability/routes";
import { db } from "../support/db";
import { call, problem, uniqueSlug } from "../support/http";
import { createSource, deliver, envelope, incident } from "../support/intake";

const LONE = "\ud800";

/** POSTs raw JSON text as the admin. */
const post = (path: string, body: string, method = "POST") => call(path, { method, admin: true, body, headers: { "content-type": "application/json" } });

describe("lone surrogates in JSON bodies", () => {
	it("are refused with 422 naming the field on every kind of write, and nothing is stored", async () => {
		const slug = uniqueSlug("lone");
		const cases: [string, string, unknown, string][] = [
			["POST", "/api/milestones", { slug, title: `Talks ${LONE}`, due: "2031-01" }, "/title"],
			["POST", "/api/milestones", { slug, title: "Talks", due: "2031-01", tags: ["ok", `x${LONE}`] }, "/tags/1"],
			["POST", "/api/zones", { slug, name: `Zone \udc00 tail` }, "/name"],
			["POST", "/api/sources", { slug, name: `${LONE}` }, "/name"],
			["POST", "/api/subscribers", { email: `${slug}@example.org`, name: `Ana ${LONE}` }, "/name"],
		];
		for (const [method, path, json, field] of cases) {
			const body = await problem(await call(path, { method, admin: true, json }), 422);
			expect(
				body.errors?.map((e) => e.path),
				`${method} ${path}`,
			).toEqual([field]);
			expect(body.errors?.[0]?.message).toMatch(/lone surrogate/);
		}
		for (const table of [milestones, zones, sources]) {
			expect((await db.select({ n: count() }).from(table).where(eq(table.slug, slug)))[0]?.n).toBe(0);
		}
		expect(
			(
				await db
					.select({ n: count() })
					.from(subscribers)
					.where(eq(subscribers.email, `${slug}@example.org`))
			)[0]?.n,
		).toBe(0);
	});

	it("are refused in a PATCH, and a well-formed pair (an emoji) is kept as sent", async () => {
		const slug = uniqueSlug("pair");
		expect((await call("/api/milestones", { method: "POST", admin: true, json: { slug, title: "Talks 🕊", due: "2031-01" } })).status).toBe(201);
		const body = await problem(await call(`/api/milestones/${slug}`, { method: "PATCH", admin: true, json: { description: `notes ${LONE}` } }), 422);
		expect(body.errors?.[0]?.path).toBe("/description");
		const [row] = await db.select().from(milestones).where(eq(milestones.slug, slug));
		expect(row?.title).toBe("Talks 🕊");
		expect(row?.description).toBe("");
	});

	it("in a key are refused too, naming the key", async () => {
		const body = await problem(await post("/api/milestones", `{"title":"x","due":"2031","\\ud800":1}`), 422);
		expect(body.errors?.[0]?.path).toBe("/\ud800".replace(LONE, "\\ud800"));
	});
});

describe("__proto__, constructor and prototype keys in JSON bodies", () => {
	it("are refused with 422 naming the path, at the top and nested", async () => {
		const slug = uniqueSlug("proto");
		const top = await problem(await post("/api/milestones", `{"slug":"${slug}","title":"x","due":"2031","__proto__":{"status":"met"}}`), 422);
		expect(top.errors?.map((e) => e.path)).toEqual(["/__proto__"]);
		const nested = await problem(
			await post("/api/zones", `{"slug":"${slug}","name":"Z","polygon":{"type":"Polygon","__proto__":null,"coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}`),
			422,
		);
		expect(nested.errors?.map((e) => e.path)).toEqual(["/polygon/__proto__"]);
		for (const key of ["constructor", "prototype"]) {
			const body = await problem(await post("/api/sources", `{"slug":"${slug}","name":"S","${key}":{}}`), 422);
			expect(body.errors?.map((e) => e.path)).toEqual([`/${key}`]);
		}
		for (const table of [milestones, zones, sources]) {
			expect((await db.select({ n: count() }).from(table).where(eq(table.slug, slug)))[0]?.n).toBe(0);
		}
	});
});

describe("webhook data", () => {
	it("with a lone surrogate or a __proto__ key is refused with 422 naming the path; nothing is written", async () => {
		const s = await createSource();
		const lone = await problem(await deliver(s.slug, s.secret, envelope(incident({ notes: `bad ${LONE}` }))), 422);
		expect(lone.errors?.map((e) => e.path)).toEqual(["/data/notes"]);
		const inBatch = await problem(await deliver(s.slug, s.secret, envelope({ incidents: [incident(), incident({ actor1: `\udfff` })] })), 422);
		expect(inBatch.errors?.map((e) => e.path)).toEqual(["/data/incidents/1/actor1"]);

		const text = JSON.stringify(envelope(incident())).replace('"external_id"', '"__proto__":{"fatalities":9},"external_id"');
		const proto = await problem(await deliver(s.slug, s.secret, null, { body: text }), 422);
		expect(proto.errors?.map((e) => e.path)).toEqual(["/data/__proto__"]);
		const batch = JSON.stringify(envelope({ incidents: [incident()] })).replace('"incidents"', '"__proto__":[],"incidents"');
		expect((await problem(await deliver(s.slug, s.secret, null, { body: batch }), 422)).errors?.map((e) => e.path)).toEqual(["/data/__proto__"]);

		expect((await db.select({ n: count() }).from(incidents).where(eq(incidents.sourceId, s.id)))[0]?.n).toBe(0);
	});
});

describe("every JSON write in the route table", () => {
	const writes = ROUTES.filter((r) => r.access === "admin" && r.method !== "GET");

	it("refuses a __proto__ key and a lone surrogate in its body with 422 naming the path, writing nothing", async () => {
		let checked = 0;
		for (const row of writes) {
			const { path, json } = await row.prepare();
			if (json === null || typeof json !== "object" || Array.isArray(json) || Object.keys(json).length === 0) continue;
			const valid = json as Record<string, unknown>;
			const before = await row.fingerprint?.();
			const proto = await problem(await post(path, `{"__proto__":{},${JSON.stringify(valid).slice(1)}`, row.method), 422);
			expect(
				proto.errors?.map((e) => e.path),
				`${row.method} ${row.path}`,
			).toEqual(["/__proto__"]);
			const field = Object.keys(valid).find((k) => typeof valid[k] === "string");
			if (field) {
				const lone = await problem(await call(path, { method: row.method, admin: true, json: { ...valid, [field]: `${valid[field]}${LONE}` } }), 422);
				expect(
					lone.errors?.map((e) => e.path),
					`${row.method} ${row.path}`,
				).toEqual([`/${field}`]);
			}
			expect(await row.fingerprint?.(), `${row.method} ${row.path} wrote something`).toEqual(before);
			checked++;
		}
		expect(checked).toBeGreaterThan(5);
	});
});
