// Situation pages inserted straight into D1 (the pages API is another feature's), and posting a
// page's subscribe form through the Worker with an EMAIL binding that records what is sent.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { type PageRow, pages, pendingSubscriptions, subscribers } from "../../worker/db/schema";
import type { Env } from "../../worker/env";
import worker from "../../worker/index";
import { db } from "./db";
import { FakeEmail } from "./fake-email";
import { uniqueSlug } from "./http";

/** A page row with a unique slug; public, in English and following everything unless told. */
export async function insertPage(over: Partial<typeof pages.$inferInsert> = {}): Promise<PageRow> {
	const [page] = await db
		.insert(pages)
		.values({ slug: uniqueSlug("pg"), title: "Test page", ...over })
		.returning();
	if (!page) throw new Error("page not inserted");
	return page;
}

let clients = 0;
/** A client address of its own (IPv6 documentation range), so the per-client rate limit of one test never meets another's. */
export const clientIp = () => `2001:db8:${Date.now().toString(16).slice(-4)}::${(++clients).toString(16)}`;

/** A unique address for the test's own rows. */
export const uniqueEmail = (prefix = "reader") => `${uniqueSlug(prefix)}@example.org`;

export interface PostOptions {
	/** Sent as the form's urlencoded body instead of JSON. */
	form?: boolean;
	/** The client address the rate limit counts by; a fresh one unless given. */
	ip?: string;
	/** The EMAIL binding; a fresh recorder unless given. */
	email?: FakeEmail;
	/** Other bindings to change (a refusing rate limiter). */
	env?: Partial<Env>;
}

/** Posts `email` to a page's subscribe form and waits for what runs after the answer (the confirmation). */
export async function postSubscribe(slug: string, email: string, options: PostOptions = {}) {
	const mail = options.email ?? new FakeEmail();
	const body = options.form ? new URLSearchParams({ email }).toString() : JSON.stringify({ email });
	const request = new Request(`https://vigil.test/p/${slug}/subscribe`, {
		method: "POST",
		body,
		headers: { "content-type": options.form ? "application/x-www-form-urlencoded" : "application/json", "cf-connecting-ip": options.ip ?? clientIp() },
	});
	const ctx = createExecutionContext();
	const res = await worker.fetch(request, { ...env, EMAIL: mail, ...options.env }, ctx);
	await waitOnExecutionContext(ctx);
	return { res, mail };
}

/** The confirmation link's token in a message the form sent. */
export function tokenIn(message: EmailMessageBuilder | undefined): string {
	const token = /\/confirm\/([A-Za-z0-9_-]+)/.exec(String(message?.text ?? ""))?.[1];
	if (!token) throw new Error(`no confirmation link in ${JSON.stringify(message?.text)}`);
	return token;
}

export const pendingOf = async (email: string) => (await db.select().from(pendingSubscriptions).where(eq(pendingSubscriptions.email, email)))[0];
export const subscriberOf = async (email: string) => (await db.select().from(subscribers).where(eq(subscribers.email, email)))[0];
