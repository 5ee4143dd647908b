// Reads near the reader: every request runs in one D1 session, reads started from the bookmark
// the client sent back (or anywhere), writes from the primary; the answer carries the session's
// bookmark in x-d1-bookmark. Local D1 has no replicas, so these check the plumbing the replicas
// rely on: which session each request starts, and the bookmark that comes back.
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../worker/index";
import type { MilestoneJson } from "../../worker/milestones/schema";
import { call, problem, uniqueSlug } from "../support/http";
import { createSource, envelope, incident, postWith } from "../support/intake";

/** The shape of the bookmarks D1 issues, remote and local alike. */
const BOOKMARK = /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/;

const bookmarkOf = (res: Response) => res.headers.get("x-d1-bookmark");

async function createMilestone(): Promise<{ milestone: MilestoneJson; bookmark: string }> {
	const res = await call("/api/milestones", { method: "POST", admin: true, json: { slug: uniqueSlug(), title: "Withdrawal deadline", due: "2026-09" } });
	expect(res.status, await res.clone().text()).toBe(201);
	const bookmark = bookmarkOf(res);
	expect(bookmark).toMatch(BOOKMARK);
	return { milestone: await res.json(), bookmark: bookmark ?? "" };
}

/** The D1 binding, recording where each session it opens starts. */
function recordingD1() {
	const starts: (string | undefined)[] = [];
	const binding = new Proxy(env.DB, {
		get(target, prop) {
			if (prop === "withSession") {
				return (start?: string) => {
					starts.push(start);
					return target.withSession(start);
				};
			}
			const value = Reflect.get(target, prop, target);
			return typeof value === "function" ? value.bind(target) : value;
		},
	});
	return { binding, starts };
}

async function fetchWith(binding: D1Database, path: string, init: RequestInit = {}): Promise<Response> {
	const ctx = createExecutionContext();
	const res = await worker.fetch(new Request(`https://vigil.test${path}`, init), { ...env, DB: binding }, ctx);
	await waitOnExecutionContext(ctx);
	return res;
}

describe("x-d1-bookmark", () => {
	it("lets a client read its own write: the write answers a bookmark, a read sent with it sees the write", async () => {
		const { milestone, bookmark } = await createMilestone();
		const one = await call(`/api/milestones/${milestone.id}`, { headers: { "x-d1-bookmark": bookmark } });
		expect(one.status).toBe(200);
		expect(await one.json()).toMatchObject({ id: milestone.id, slug: milestone.slug });
		const after = bookmarkOf(one) ?? "";
		expect(after).toMatch(BOOKMARK);
		// Bookmarks sort oldest to newest: the read's session is at least where the write left it.
		expect(after >= bookmark).toBe(true);

		const list = await call("/api/milestones?limit=100", { headers: { "x-d1-bookmark": bookmark } });
		expect(list.status).toBe(200);
		expect(((await list.json()) as { items: MilestoneJson[] }).items.map((m) => m.id)).toContain(milestone.id);
		expect(bookmarkOf(list)).toMatch(BOOKMARK);
	});

	it("answers a read sent without a bookmark, with one", async () => {
		for (const path of ["/status", "/", "/api/milestones", "/api/incidents", "/feeds/milestones.ics"]) {
			const res = await call(path);
			expect(res.status, path).toBe(200);
			expect(bookmarkOf(res), path).toMatch(BOOKMARK);
		}
	});

	it("answers a read sent with a malformed bookmark as if none was sent, and never echoes it", async () => {
		const sent = [
			"garbage",
			"first-primary",
			"00000000-0000000a-00000000",
			`${"f".repeat(8)}-${"f".repeat(8)}-${"f".repeat(8)}-${"g".repeat(32)}`,
			"x".repeat(4000),
		];
		for (const bookmark of sent) {
			const res = await call("/api/milestones", { headers: { "x-d1-bookmark": bookmark } });
			expect(res.status, bookmark).toBe(200);
			expect(bookmarkOf(res), bookmark).toMatch(BOOKMARK);
		}
		const { binding, starts } = recordingD1();
		for (const bookmark of sent) expect((await fetchWith(binding, "/api/milestones", { headers: { "x-d1-bookmark": bookmark } })).status).toBe(200);
		expect(starts).toEqual(sent.map(() => "first-unconstrained"));
	});

	it("starts reads from the client's bookmark or anywhere, and writes and webhooks at the primary", async () => {
		const { milestone, bookmark } = await createMilestone();
		const { binding, starts } = recordingD1();
		const admin = { authorization: `Bearer ${env.ADMIN_TOKEN}`, "content-type": "application/json" };
		await fetchWith(binding, "/api/milestones");
		// A streamed export reads as the client reads it.
		await (await fetchWith(binding, "/api/incidents.csv", { headers: { "x-d1-bookmark": bookmark } })).text();
		const patched = await fetchWith(binding, `/api/milestones/${milestone.id}`, {
			method: "PATCH",
			headers: admin,
			body: JSON.stringify({ title: "Renamed" }),
		});
		expect(patched.status).toBe(200);
		expect(bookmarkOf(patched)).toMatch(BOOKMARK);
		const s = await createSource();
		const received = await postWith(binding, s.slug, s.secret, `msg_${uniqueSlug()}`, JSON.stringify(envelope(incident())));
		expect(received.status).toBe(202);
		expect(bookmarkOf(received)).toMatch(BOOKMARK);
		expect(starts).toEqual(["first-unconstrained", bookmark, "first-primary", "first-primary"]);
	});

	it("answers an error with the bookmark of what it read", async () => {
		const res = await call("/api/milestones/999999999", { method: "PATCH", admin: true, json: { title: "Nothing here" } });
		await problem(res, 404);
		expect(bookmarkOf(res)).toMatch(BOOKMARK);
	});

	it("carries the sent bookmark on a streamed export, whose rows are read after its headers are sent", async () => {
		const { bookmark } = await createMilestone();
		const res = await call("/api/incidents.csv", { headers: { "x-d1-bookmark": bookmark } });
		expect(res.status).toBe(200);
		expect(bookmarkOf(res)).toBe(bookmark);
		await res.text();
	});

	it("opens no session for an answer that reads nothing, and the crons use the primary without one", async () => {
		expect(bookmarkOf(await call("/openapi.json"))).toBeNull();
		const { binding, starts } = recordingD1();
		expect((await fetchWith(binding, "/openapi.json")).status).toBe(200);
		for (const cron of env.WRANGLER_CRONS) await worker.scheduled(createScheduledController({ cron, scheduledTime: new Date() }), { ...env, DB: binding });
		expect(env.WRANGLER_CRONS.length).toBeGreaterThan(0);
		expect(starts).toEqual([]);
	});

	it("is declared in the API document: a header parameter of every read, a header of every response", async () => {
		type Ref = { $ref: string };
		type Op = { parameters?: Ref[]; responses: Record<string, { headers?: Record<string, Ref> }> };
		const doc = (await (await call("/openapi.json")).json()) as {
			paths: Record<string, Record<string, Op>>;
			components: { parameters: Record<string, { name: string; in: string }>; headers: Record<string, unknown> };
		};
		expect(doc.components.parameters.D1Bookmark).toMatchObject({ name: "x-d1-bookmark", in: "header" });
		expect(doc.components.headers.D1Bookmark).toBeDefined();
		const ops = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })));
		expect(ops.length).toBeGreaterThan(20);
		for (const { path, method, op } of ops) {
			const sends = (op.parameters ?? []).some((p) => p.$ref === "#/components/parameters/D1Bookmark");
			expect(sends, `${method} ${path}`).toBe(method === "get");
			for (const [status, response] of Object.entries(op.responses)) {
				expect(response.headers?.["x-d1-bookmark"], `${method} ${path} ${status}`).toEqual({ $ref: "#/components/headers/D1Bookmark" });
			}
		}
	});
});
