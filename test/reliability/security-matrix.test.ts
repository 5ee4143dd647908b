// Every route × every caller, from the table in routes.ts: who gets in, who gets 401, that
// a denied write leaves its table exactly as it was, and that no answer to an authenticated
// caller is cacheable by a shared cache. Callers: no token, the read token, a wrong
// token, the admin token, a Standard Webhooks sender signing with its own secret, and one
// signing with another source's secret. Run once as deployed without READ_TOKEN
// (through the Worker's own entry), and once with READ_TOKEN set (the same Worker handler,
// called with the env override: the plugin shares one env per project, not per file).
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../worker/index";
import { call, problem } from "../support/http";
import { signedHeaders } from "../support/intake";
import { ROUTES, type RouteRequest, type RouteRow } from "./routes";

const READ_TOKEN = "matrix-read-token";
const BEARERS = {
	none: undefined,
	read: `Bearer ${READ_TOKEN}`,
	wrong: "Bearer not-the-token",
	admin: `Bearer ${env.ADMIN_TOKEN}`,
	sender: undefined,
	"other-sender": undefined,
} as const;
type Role = keyof typeof BEARERS;
const ROLES = Object.keys(BEARERS) as Role[];

/** A whsec_ secret nobody registered, for signing callers on routes that are not webhooks. */
const throwaway = () => `whsec_${btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(24))))}`;

/** The status a caller must get: the whole access policy in one place. */
function expectedStatus(row: RouteRow, role: Role, readTokenSet: boolean): number {
	if (row.access === "public") return row.ok;
	if (row.access === "admin") return role === "admin" ? row.ok : 401;
	if (row.access === "signed") return role === "sender" ? row.ok : 401;
	if (!readTokenSet) return row.ok;
	return role === "read" || role === "admin" ? row.ok : 401;
}

/** Sends one row's request as `role`, through the Worker's entry or with READ_TOKEN set. */
async function send(row: RouteRow, { path, json, raw, secrets, headers: extra }: RouteRequest, role: Role, readTokenSet: boolean): Promise<Response> {
	const headers = new Headers(extra);
	const authorization = BEARERS[role];
	if (authorization) headers.set("authorization", authorization);
	const body = raw ? raw.body : json === undefined ? undefined : JSON.stringify(json);
	if (role === "sender" || role === "other-sender") {
		const secret = (role === "sender" ? secrets?.own : secrets?.other) ?? throwaway();
		for (const [k, v] of Object.entries(signedHeaders(secret, body ?? ""))) headers.set(k, v);
	}
	if (raw) headers.set("content-type", raw.contentType);
	else if (json !== undefined) headers.set("content-type", "application/json");
	if (!readTokenSet) return call(path, { method: row.method, headers, body });
	const request = new Request(`https://vigil.test${path}`, { method: row.method, headers, body });
	const ctx = createExecutionContext();
	const res = await worker.fetch(request, { ...env, READ_TOKEN }, ctx);
	await waitOnExecutionContext(ctx);
	return res;
}

/**
 * Every answer says nosniff. An authenticated request's answer (the caller sent Authorization,
 * or READ_TOKEN closes reads) is private or no-store; a public one varies on Authorization.
 */
function expectSafeHeaders(res: Response, role: Role, readTokenSet: boolean) {
	expect(res.headers.get("x-content-type-options")).toBe("nosniff");
	const cacheControl = res.headers.get("cache-control") ?? "";
	if (readTokenSet || BEARERS[role] !== undefined) {
		expect(cacheControl).toMatch(/\b(private|no-store)\b/);
		expect(cacheControl).not.toMatch(/\bpublic\b/);
	} else if (/\bpublic\b/.test(cacheControl)) {
		expect(res.headers.get("vary") ?? "").toMatch(/\bauthorization\b/i);
	}
}

const cases = ROUTES.flatMap((row) =>
	[false, true].flatMap((readTokenSet) =>
		ROLES.map((role) => ({ row, role, readTokenSet, label: `${row.method} ${row.path} as ${role}${readTokenSet ? " (READ_TOKEN set)" : ""}` })),
	),
);

describe("security matrix", () => {
	it.each(cases)("$label answers as the access policy says", async ({ row, role, readTokenSet }) => {
		const want = expectedStatus(row, role, readTokenSet);
		const request = await row.prepare();
		const before = await row.fingerprint?.();
		const res = await send(row, request, role, readTokenSet);
		expectSafeHeaders(res, role, readTokenSet);
		if (want === 401) {
			await problem(res, 401);
			// A bearer route says how to authenticate; a webhook's answer is about its signature.
			if (row.access !== "signed") expect(res.headers.get("www-authenticate")).toMatch(/^Bearer /);
		} else {
			expect(res.status, await res.clone().text()).toBe(want);
			await res.arrayBuffer();
		}
		if (row.fingerprint) {
			const after = await row.fingerprint();
			// A denied write leaves no trace; an allowed one must show, or the fingerprint is blind.
			if (want === 401) expect(after).toEqual(before);
			else expect(after).not.toEqual(before);
		}
	});

	it("has a row for every route in the OpenAPI document, and no row for a route that is gone", async () => {
		const doc = (await (await call("/openapi.json")).json()) as { paths: Record<string, Record<string, unknown>> };
		const documented = Object.entries(doc.paths)
			.flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
			.sort();
		const tabled = ROUTES.filter((r) => !r.undocumented)
			.map((r) => `${r.method} ${r.path}`)
			.sort();
		expect(tabled).toEqual(documented);
	});
});
