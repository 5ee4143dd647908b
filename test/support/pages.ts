// Situation pages made through the API as an admin would (createPage) or inserted straight into D1
// (insertPage), and posting a page's subscribe form through the Worker with an EMAIL binding that
// records what is sent.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { type PageRow, pages, pendingSubscriptions, subscribers } from "../../worker/db/schema";
import type { Env } from "../../worker/env";
import worker from "../../worker/index";
import { db } from "./db";
import { FakeEmail } from "./fake-email";
import { call, uniqueSlug } from "./http";

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
/** A client of its own: an address in a /64 of its own (IPv6 documentation range), so the per-client rate limit of one test never meets another's. */
export const clientIp = () => `2001:db8:${Date.now().toString(16).slice(-4)}:${(++clients).toString(16)}::1`;

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

/** Creates a page through the API from `over` (a unique slug and a title unless given). */
export async function createPage(over: Record<string, unknown> = {}): Promise<{ id: number; slug: string; url: string }> {
	const res = await call("/api/pages", { method: "POST", admin: true, json: { slug: uniqueSlug("p"), title: "Test page", ...over } });
	if (res.status !== 201) throw new Error(`page create: ${res.status} ${await res.text()}`);
	return (await res.json()) as { id: number; slug: string; url: string };
}

/** Creates a milestone through the API; `tags` is what pages select it by. */
export async function createTaggedMilestone(tags: string[], over: Record<string, unknown> = {}): Promise<{ id: number; slug: string; title: string }> {
	const slug = uniqueSlug("m");
	const res = await call("/api/milestones", { method: "POST", admin: true, json: { slug, title: `Milestone ${slug}`, due: "2040-06", tags, ...over } });
	if (res.status !== 201) throw new Error(`milestone create: ${res.status} ${await res.text()}`);
	return (await res.json()) as { id: number; slug: string; title: string };
}

export const READ_TOKEN = "pages-read-token";

/** Calls the Worker with READ_TOKEN set (the plugin shares one env per project, so it is passed, not configured). */
export async function callWithReadToken(path: string, init: RequestInit = {}): Promise<Response> {
	const ctx = createExecutionContext();
	const res = await worker.fetch(new Request(`https://vigil.test${path}`, init), { ...env, READ_TOKEN }, ctx);
	await waitOnExecutionContext(ctx);
	return res;
}
