import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { enqueueStatements } from "../../worker/alerts/ledger";
import { alerts, subscribers } from "../../worker/db/schema";
import { DAY, scenario } from "../support/alerts";
import { db } from "../support/db";
import { call, problem, uniqueSlug } from "../support/http";

afterEach(() => vi.useRealTimers());

const bySubscriberEmail = (email: string) => db.select().from(subscribers).where(eq(subscribers.email, email));

async function zoneAndTag() {
	const zone = uniqueSlug("z");
	expect((await call("/api/zones", { method: "POST", admin: true, json: { slug: zone, name: `Zone ${zone}` } })).status).toBe(201);
	const tag = uniqueSlug("tag");
	expect((await call("/api/milestones", { method: "POST", admin: true, json: { title: `M ${tag}`, due: "2031-05", tags: [tag] } })).status).toBe(201);
	return { zone, tag };
}

describe("/api/subscribers", () => {
	it("creates a subscriber with filters that exist and returns its unsubscribe_url", async () => {
		const { zone, tag } = await zoneAndTag();
		const email = `${uniqueSlug("s")}@Example.org`;
		const res = await call("/api/subscribers", { method: "POST", admin: true, json: { email, name: "Desk", zones: [zone], tags: [tag] } });
		expect(res.status).toBe(201);
		const body = (await res.json()) as { id: number; email: string; unsubscribe_url: string; digest: boolean; zones: string[] };
		expect(body).toMatchObject({ email: email.toLowerCase(), digest: true, zones: [zone] });
		expect(body.unsubscribe_url).toMatch(/^https:\/\/vigil\.test\/unsubscribe\/[A-Za-z0-9_-]{43}$/);
		expect(await bySubscriberEmail(email.toLowerCase())).toHaveLength(1);
		await problem(await call("/api/subscribers", { method: "POST", admin: true, json: { email } }), 409);
	});

	it("refuses bad emails, unknown zones and tags, unknown fields, and writes nothing", async () => {
		const email = `${uniqueSlug("bad")}@example.org`;
		for (const [json, path] of [
			[{ email: "not-an-email" }, "/email"],
			[{ email: "a@b.c\r\nBcc: x@y.z" }, "/email"],
			[{ email, zones: [uniqueSlug("nozone")] }, "/zones/0"],
			[{ email, tags: [uniqueSlug("notag")] }, "/tags/0"],
			[{ email, admin: true }, "/"],
		] as const) {
			const res = await call("/api/subscribers", { method: "POST", admin: true, json });
			const body = await problem(res, 422);
			expect(body.errors?.map((e) => e.path)).toEqual([path]);
		}
		expect(await bySubscriberEmail(email)).toHaveLength(0);
	});

	it("needs the admin token", async () => {
		await problem(await call("/api/subscribers"), 401);
		await problem(await call("/api/subscribers", { method: "POST", json: { email: "x@example.org" } }), 401);
		await problem(await call("/api/alerts"), 401);
		await problem(await call("/api/silences"), 401);
	});

	it("lists newest first with a cursor and deletes by unsubscribing", async () => {
		const a = await call("/api/subscribers", { method: "POST", admin: true, json: { email: `${uniqueSlug("l")}@example.org` } });
		const b = await call("/api/subscribers", { method: "POST", admin: true, json: { email: `${uniqueSlug("l")}@example.org` } });
		const [ida, idb] = [((await a.json()) as { id: number }).id, ((await b.json()) as { id: number }).id];
		vi.useFakeTimers({ toFake: ["Date"] });
		const deletedAt = Date.now();
		const page1 = (await (await call("/api/subscribers?limit=1", { admin: true })).json()) as { items: { id: number }[]; next_cursor: string };
		expect(page1.items[0]?.id).toBe(idb);
		const page2 = (await (await call(`/api/subscribers?limit=1&cursor=${page1.next_cursor}`, { admin: true })).json()) as { items: { id: number }[] };
		expect(page2.items[0]?.id).toBe(ida);
		const del = await call(`/api/subscribers/${ida}`, { method: "DELETE", admin: true });
		expect(del.status).toBe(200);
		expect(((await del.json()) as { unsubscribed_at: string | null }).unsubscribed_at).toBe(new Date(deletedAt).toISOString());
		await problem(await call("/api/subscribers/999999999", { method: "DELETE", admin: true }), 404);
	});
});

describe("/unsubscribe/:token", () => {
	it("GET shows a confirmation page and changes nothing; POST unsubscribes, drops queued alerts, and is idempotent", async () => {
		const { subscriber, milestone } = await scenario(Date.UTC(2031, 0, 1), Date.UTC(2030, 10, 1));
		const T = Date.UTC(2030, 11, 1);
		vi.useFakeTimers({ toFake: ["Date"] });
		vi.setSystemTime(T);
		await Promise.all(
			enqueueStatements(
				db,
				[
					{
						kind: "deadline",
						milestoneId: milestone.id,
						zoneId: null,
						offset: "P7D",
						dueAt: milestone.dueAt,
						subscriberId: subscriber.id,
						recipient: subscriber.email,
					},
				],
				new Date(),
			),
		);
		const path = `/unsubscribe/${subscriber.unsubscribeToken}`;
		const page = await call(path);
		expect(page.status).toBe(200);
		const html = await page.text();
		expect(html).toContain(`<form method="post" action="${path}">`);
		expect(html).toContain(subscriber.email);
		expect((await bySubscriberEmail(subscriber.email))[0]?.unsubscribedAt).toBeNull();
		expect(await db.select().from(alerts).where(eq(alerts.subscriberId, subscriber.id))).toHaveLength(1);

		const post = await call(path, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" });
		expect(post.status).toBe(200);
		const [row] = await bySubscriberEmail(subscriber.email);
		expect(row?.unsubscribedAt).toEqual(new Date(T));
		expect(await db.select().from(alerts).where(eq(alerts.subscriberId, subscriber.id))).toHaveLength(0);

		vi.setSystemTime(T + DAY);
		const again = await call(path, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" });
		expect(again.status).toBe(200);
		expect((await bySubscriberEmail(subscriber.email))[0]?.unsubscribedAt).toEqual(new Date(T));
		expect(await (await call(path)).text()).toContain("is unsubscribed");
	});

	it("speaks the subscriber's language when the link has no ?lang=, as the mail that carried it did; ?lang= still overrides", async () => {
		const res = await call("/api/subscribers", { method: "POST", admin: true, json: { email: `${uniqueSlug("ar")}@example.org` } });
		const created = (await res.json()) as { id: number; unsubscribe_url: string };
		await db.update(subscribers).set({ language: "ar" }).where(eq(subscribers.id, created.id));
		const path = new URL(created.unsubscribe_url).pathname;
		const ask = await (await call(path)).text();
		expect(ask).toContain('<html lang="ar-IQ" dir="rtl">');
		expect(await (await call(`${path}?lang=en`)).text()).toContain('<html lang="en" dir="ltr">');
		const done = await (
			await call(path, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" })
		).text();
		expect(done).toContain('<html lang="ar-IQ" dir="rtl">');
	});

	it("serves both pages under a strict CSP: nothing loads, its one style carries the nonce, the form posts only here, nothing frames it", async () => {
		const res = await call("/api/subscribers", { method: "POST", admin: true, json: { email: `${uniqueSlug("csp")}@example.org` } });
		const path = new URL(((await res.json()) as { unsubscribe_url: string }).unsubscribe_url).pathname;
		for (const method of ["GET", "POST"]) {
			const page = await call(path, { method });
			expect(page.status).toBe(200);
			const csp = page.headers.get("content-security-policy") ?? "";
			const nonce = /style-src 'nonce-([^']+)'/.exec(csp)?.[1];
			expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
			expect(csp).toContain("default-src 'none'");
			expect(csp).toContain("form-action 'self'");
			expect(csp).toContain("frame-ancestors 'none'");
			expect(csp).not.toContain("unsafe-inline");
			expect(page.headers.get("x-frame-options")).toBe("DENY");
			expect(page.headers.get("x-content-type-options")).toBe("nosniff");
			expect(page.headers.get("referrer-policy")).toBe("no-referrer");
			const html = await page.text();
			expect([...html.matchAll(/<style([^>]*)>/g)].map((m) => m[1])).toEqual([` nonce="${nonce}"`]);
			expect(html).not.toMatch(/<script|\sstyle="/);
		}
	});

	it("an unknown token is 404 and writes nothing", async () => {
		await problem(await call("/unsubscribe/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), 404);
		await problem(await call("/unsubscribe/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", { method: "POST" }), 404);
		await problem(await call("/unsubscribe/%3Cscript%3E", { method: "POST" }), 404);
	});
});

describe("/api/silences", () => {
	it("creates a silence for a tag, a milestone or a zone and lists it as active", async () => {
		const { zone, tag } = await zoneAndTag();
		const until = new Date(Date.now() + 5 * DAY).toISOString();
		for (const target of [{ tag }, { zone }]) {
			const res = await call("/api/silences", { method: "POST", admin: true, json: { ...target, until, reason: "handled elsewhere" } });
			expect(res.status).toBe(201);
			expect(await res.json()).toMatchObject({ ...("tag" in target ? { tag } : { zone }), active: true, reason: "handled elsewhere" });
		}
		const list = (await (await call("/api/silences?active=true", { admin: true })).json()) as {
			items: { tag: string | null; zone: string | null; id: number }[];
		};
		const mine = list.items.filter((s) => s.tag === tag || s.zone === zone);
		expect(mine).toHaveLength(2);
		const ended = await call(`/api/silences/${mine[0]?.id}`, { method: "DELETE", admin: true });
		expect(((await ended.json()) as { active: boolean }).active).toBe(false);
	});

	it("refuses silences that end in the past, name nothing or two things, or unknown targets, and writes nothing", async () => {
		const { tag } = await zoneAndTag();
		const reason = uniqueSlug("reason");
		const future = new Date(Date.now() + DAY).toISOString();
		for (const json of [
			{ tag, until: new Date(Date.now() - DAY).toISOString(), reason },
			{ until: future, reason },
			{ tag, zone: "x", until: future, reason },
			{ milestone: uniqueSlug("nomilestone"), until: future, reason },
			{ zone: uniqueSlug("nozone"), until: future, reason },
			{ tag, until: "tomorrow", reason },
		]) {
			await problem(await call("/api/silences", { method: "POST", admin: true, json }), 422);
		}
		const list = (await (await call("/api/silences?limit=200", { admin: true })).json()) as { items: { reason: string }[] };
		expect(list.items.filter((s) => s.reason === reason)).toHaveLength(0);
	});
});

describe("OpenAPI document", () => {
	it("describes the alert routes", async () => {
		const doc = (await (await call("/openapi.json")).json()) as { paths: Record<string, Record<string, unknown>> };
		for (const path of [
			"/api/subscribers",
			"/api/subscribers/{id}",
			"/api/silences",
			"/api/silences/{id}",
			"/api/alerts",
			"/unsubscribe/{token}",
			"/feeds/milestones.ics",
		]) {
			expect(doc.paths[path], path).toBeDefined();
		}
		expect(Object.keys(doc.paths["/unsubscribe/{token}"] ?? {}).sort()).toEqual(["get", "post"]);
	});
});
