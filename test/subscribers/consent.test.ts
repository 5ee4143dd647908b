// Subscribing an address again: what an old unsubscribe link does afterwards.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { subscribers } from "../../worker/db/schema";
import { db } from "../support/db";
import { call, problem, uniqueSlug } from "../support/http";

type Created = { id: number; unsubscribe_url: string; unsubscribed_at: string | null };

const subscribe = (json: Record<string, unknown>) => call("/api/subscribers", { method: "POST", admin: true, json });
const oneClick = (url: string) =>
	call(new URL(url).pathname, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" });

describe("re-subscribing an address", () => {
	it("issues a fresh unsubscribe link: the old one is unknown and leaves the new subscription alone", async () => {
		const email = `${uniqueSlug("again")}@example.org`;
		const first = (await (await subscribe({ email })).json()) as Created;
		expect((await oneClick(first.unsubscribe_url)).status).toBe(200);

		const again = await subscribe({ email });
		expect(again.status).toBe(201);
		const second = (await again.json()) as Created;
		expect(second.id).toBe(first.id);
		expect(second.unsubscribe_url).not.toBe(first.unsubscribe_url);

		await problem(await oneClick(first.unsubscribe_url), 404);
		await problem(await call(new URL(first.unsubscribe_url).pathname), 404);
		const [row] = await db.select().from(subscribers).where(eq(subscribers.email, email));
		expect(row?.unsubscribedAt).toBeNull();
		expect((await oneClick(second.unsubscribe_url)).status).toBe(200);
	});
});
