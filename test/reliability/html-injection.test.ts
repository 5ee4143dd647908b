// Text that reaches the status page (milestone titles, slip reasons) is data, never markup;
// text that would split a header is refused; spreadsheet formulas stay inert text in HTML and JSON.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call, problem, uniqueSlug } from "../support/http";

const XSS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "</title><svg onload=alert(1)>", '<a href="javascript:alert(1)">x</a>'];
const FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0"];
const soon = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().replace(/\.\d+Z$/, "Z");

async function create(title: string, due: string): Promise<{ id: number }> {
	const res = await call("/api/milestones", { method: "POST", admin: true, json: { title, due, slug: uniqueSlug("x") } });
	expect(res.status, await res.clone().text()).toBe(201);
	expect(res.headers.get("content-type")).toMatch(/^application\/json/);
	return (await res.json()) as { id: number };
}

/** Text of the page with every tag removed and entities decoded: what a reader sees. */
function visibleText(html: string): string {
	return html
		.replace(/<[^>]*>/g, " ")
		.replace(/&lt;/g, "<")
		.replace(/&gt;/g, ">")
		.replace(/&quot;/g, '"')
		.replace(/&#39;/g, "'")
		.replace(/&amp;/g, "&");
}

describe("hostile text on the status page", () => {
	it("renders titles and slip reasons carrying markup as escaped text, in every section", async () => {
		for (const [i, payload] of XSS.entries()) await create(payload, soon(i + 1));
		const overdue = await create(`${XSS[0]} overdue`, "2020-01");
		const slipped = await create("Slipping", soon(10));
		const patched = await call(`/api/milestones/${slipped.id}`, { method: "PATCH", admin: true, json: { due: soon(20), reason: XSS[1] } });
		expect(patched.status, await patched.clone().text()).toBe(200);

		const res = await call("/");
		expect(res.status).toBe(200);
		expect(res.headers.get("content-type")).toMatch(/^text\/html/);
		const html = await res.text();
		// The page's own markup has one script (carrying the CSP nonce) and one svg (the chart);
		// with those two taken out, any script, image, svg or javascript: link came from data.
		const nonce = /script-src[^;]*'nonce-([^']+)'/.exec(res.headers.get("content-security-policy") ?? "")?.[1];
		expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
		expect(html.match(/<script/gi)).toHaveLength(1);
		expect(html).toContain(`<script nonce="${nonce}">`);
		const own = html
			.replace(/<script nonce="[^"]*">[\s\S]*?<\/script>/, "")
			.replace(/<svg viewBox="[^"]*" role="img" aria-labelledby="chart-title chart-desc" data-chart="incidents-weekly" direction="ltr">/, "");
		expect(own).not.toMatch(/<script|<img|<svg|<a href="javascript/i);
		const text = visibleText(html);
		for (const payload of XSS) expect(text).toContain(payload);
		expect(text).toContain(`${XSS[0]} overdue`);
		expect(text).toContain(`Reason:  ${XSS[1]}`);
		expect(overdue.id).toBeGreaterThan(0);
	});

	it("keeps spreadsheet formulas as inert text in the page and as plain strings in JSON", async () => {
		for (const [i, payload] of FORMULAS.entries()) await create(payload, soon(30 + i));
		const html = await (await call("/")).text();
		const text = visibleText(html);
		for (const payload of FORMULAS) expect(text).toContain(payload);
		const status = await call("/status");
		expect(status.headers.get("content-type")).toMatch(/^application\/json/);
		const titles = ((await status.json()) as { milestones: { next: { title: string }[] } }).milestones.next.map((m) => m.title);
		expect(titles).toEqual(expect.arrayContaining(FORMULAS));
	});
});

describe("CRLF in fields that could reach a header", () => {
	it("refuses a title with CR or LF (titles go into email subjects) and writes nothing", async () => {
		for (const title of ["Deadline\r\nBcc: victim@example.org", "Deadline\nX-Injected: 1", "Deadline\rX"]) {
			const slug = uniqueSlug("crlf");
			const res = await call("/api/milestones", { method: "POST", admin: true, json: { title, due: "2031-01", slug } });
			const body = await problem(res, 422);
			expect(body.errors?.map((e) => e.path)).toContain("/title");
			expect(await env.DB.prepare("SELECT count(*) AS n FROM milestones WHERE slug = ?").bind(slug).first("n")).toBe(0);
		}
	});

	it("refuses a zone name with CR or LF and writes nothing", async () => {
		const slug = uniqueSlug("zcrlf");
		await problem(await call("/api/zones", { method: "POST", admin: true, json: { slug, name: "Anbar\r\nX-Injected: 1" } }), 422);
		expect(await env.DB.prepare("SELECT count(*) AS n FROM zones WHERE slug = ?").bind(slug).first("n")).toBe(0);
	});

	it("keeps a multi-line slip reason out of every response header", async () => {
		const { id } = await create("Header check", soon(40));
		const res = await call(`/api/milestones/${id}`, { method: "PATCH", admin: true, json: { due: soon(41), reason: "line one\r\nX-Injected: 1" } });
		expect(res.status).toBe(200);
		for (const path of ["/", "/status", `/api/milestones/${id}/revisions`]) {
			const page = await call(path);
			expect(page.headers.get("x-injected")).toBeNull();
			await page.arrayBuffer();
		}
	});
});
