// Adding an address: the consent it is recorded with, an address that unsubscribed (409 unless
// the admin says it consented again), and what an old unsubscribe link does afterwards.
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { subscribers } from "../../worker/db/schema";
import { db } from "../support/db";
import { call, problem, uniqueSlug } from "../support/http";

afterEach(() => vi.useRealTimers());

type Created = {
	id: number;
	email: string;
	tags: string[];
	unsubscribe_url: string;
	unsubscribed_at: string | null;
	consent_at: string | null;
	consent_source: string | null;
	created_at: string;
	updated_at: string | null;
};

const subscribe = (json: Record<string, unknown>) => call("/api/subscribers", { method: "POST", admin: true, json });
const oneClick = (url: string) =>
	call(new URL(url).pathname, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" });
const rowOf = async (email: string) => (await db.select().from(subscribers).where(eq(subscribers.email, email)))[0];

/** An address subscribed and then unsubscribed through its own link. */
async function unsubscribedAddress(): Promise<{ email: string; first: Created }> {
	const email = `${uniqueSlug("gone")}@example.org`;
	const first = (await (await subscribe({ email })).json()) as Created;
	expect((await oneClick(first.unsubscribe_url)).status).toBe(200);
	return { email, first };
}

describe("consent on POST /api/subscribers", () => {
	it("records an admin's first subscription of an address as consent_source admin, at creation", async () => {
		vi.useFakeTimers({ toFake: ["Date"] });
		const email = `${uniqueSlug("first")}@example.org`;
		const body = (await (await subscribe({ email })).json()) as Created;
		expect(body).toMatchObject({ consent_source: "admin", consent_at: new Date().toISOString(), created_at: new Date().toISOString(), updated_at: null });
	});

	it("refuses an address that unsubscribed with a 409 naming the field, and writes nothing", async () => {
		const { email } = await unsubscribedAddress();
		const before = await rowOf(email);
		for (const json of [{ email }, { email, resubscribe: false, tags: [] }]) {
			const body = await problem(await subscribe(json), 409);
			expect(body.detail).toContain('"resubscribe": true');
			expect(body.errors?.map((e) => e.path)).toEqual(["/email"]);
		}
		expect(await rowOf(email)).toEqual(before);
		expect(before?.unsubscribedAt).not.toBeNull();
	});

	it("re-subscribes it with resubscribe: true, with the new filters, and records when and how", async () => {
		const { email, first } = await unsubscribedAddress();
		vi.useFakeTimers({ toFake: ["Date"] });
		vi.setSystemTime(Date.now() + 60_000);
		const res = await subscribe({ email, resubscribe: true, digest: false });
		expect(res.status).toBe(201);
		const at = new Date().toISOString();
		const body = (await res.json()) as Created;
		expect(body).toMatchObject({
			id: first.id,
			unsubscribed_at: null,
			consent_source: "admin_resubscribe",
			consent_at: at,
			updated_at: at,
			created_at: first.created_at,
		});
		const list = (await (await call("/api/subscribers?limit=200", { admin: true })).json()) as { items: Created[] };
		expect(list.items.find((s) => s.id === first.id)).toMatchObject({ consent_source: "admin_resubscribe", consent_at: at, digest: false });
	});

	it("keeps answering 409 for an address already subscribed, resubscribe or not, and writes nothing", async () => {
		const email = `${uniqueSlug("twice")}@example.org`;
		expect((await subscribe({ email })).status).toBe(201);
		const before = await rowOf(email);
		for (const json of [{ email }, { email: email.toUpperCase(), resubscribe: true, digest: false }]) {
			const body = await problem(await subscribe(json), 409);
			expect(body.errors).toEqual([{ path: "/email", message: "already subscribed" }]);
		}
		expect(await rowOf(email)).toEqual(before);
	});
});

describe("re-subscribing an address", () => {
	it("issues a fresh unsubscribe link: the old one is unknown and leaves the new subscription alone", async () => {
		const { email, first } = await unsubscribedAddress();
		const again = await subscribe({ email, resubscribe: true });
		expect(again.status).toBe(201);
		const second = (await again.json()) as Created;
		expect(second.id).toBe(first.id);
		expect(second.unsubscribe_url).not.toBe(first.unsubscribe_url);

		await problem(await oneClick(first.unsubscribe_url), 404);
		await problem(await call(new URL(first.unsubscribe_url).pathname), 404);
		expect((await rowOf(email))?.unsubscribedAt).toBeNull();
		expect((await oneClick(second.unsubscribe_url)).status).toBe(200);
	});
});
