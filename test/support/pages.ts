// Situation pages and the milestones they select, made through the API as an admin would.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import worker from "../../worker/index";
import { call, uniqueSlug } from "./http";

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
