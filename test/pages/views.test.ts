// /p/:slug and its JSON and feeds: only the page's milestones (by tag) and its zones' incidents,
// everything when it names none; private pages need a token; unknown ones are 404.
import { XMLParser } from "fast-xml-parser";
import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import type { StatusJson } from "../../worker/status/schema";
import { ADMIN, call, problem, uniqueSlug } from "../support/http";
import { insertIncident, insertSource, insertZone } from "../support/incident-rows";
import { callWithReadToken, createPage, createTaggedMilestone, READ_TOKEN } from "../support/pages";

const HOUR = 3_600_000;

async function pageStatus(slug: string, init: RequestInit = {}): Promise<StatusJson> {
	const res = await call(`/p/${slug}/status`, init);
	expect(res.status, await res.clone().text()).toBe(200);
	return res.json();
}

/** Two zones with one verified incident each two hours ago, and one incident in no zone. */
async function twoZones() {
	const [a, b, source] = await Promise.all([insertZone("Zone A"), insertZone("Zone B"), insertSource()]);
	const occurredAt = new Date(Date.now() - 2 * HOUR);
	const inA = await insertIncident(source.id, { occurredAt, zoneId: a.id, location: `in-a-${a.slug}` });
	const inB = await insertIncident(source.id, { occurredAt, zoneId: b.id, location: `in-b-${b.slug}` });
	await insertIncident(source.id, { occurredAt, zoneId: null });
	return { a, b, inA, inB };
}

const atomParser = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === "entry" || name === "link" });

describe("a page's milestones", () => {
	it("are those with one of its tags", async () => {
		const [t1, t2] = [uniqueSlug("t"), uniqueSlug("t")];
		const one = await createTaggedMilestone([t1, "shared-other"]);
		const two = await createTaggedMilestone([t2]);
		const neither = await createTaggedMilestone([uniqueSlug("t")]);
		const page = await createPage({ tags: [t1, t2] });
		const ids = (await pageStatus(page.slug)).milestones.next.map((m) => m.id);
		expect(ids).toEqual(expect.arrayContaining([one.id, two.id]));
		expect(ids).not.toContain(neither.id);
	});

	it("are every milestone when the page names no tags", async () => {
		const untagged = await createTaggedMilestone([], { due: "2030-01-01" });
		const page = await createPage();
		const [forPage, whole] = [await pageStatus(page.slug), (await (await call("/status")).json()) as StatusJson];
		expect(forPage.milestones.next.map((m) => m.id)).toContain(untagged.id);
		expect(forPage.milestones.next.map((m) => m.id)).toEqual(whole.milestones.next.map((m) => m.id));
	});

	it("are the only ones in its calendar, which a real iCalendar parser reads", async () => {
		const tag = uniqueSlug("t");
		const mine = await createTaggedMilestone([tag]);
		const other = await createTaggedMilestone([uniqueSlug("t")]);
		const page = await createPage({ title: "Calendar page", tags: [tag] });
		const res = await call(`/p/${page.slug}/milestones.ics`);
		expect(res.status).toBe(200);
		expect(res.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
		const calendar = new ICAL.Component(ICAL.parse(await res.text()));
		expect(calendar.getFirstPropertyValue("name")).toBe("Vigil: Calendar page");
		const summaries = calendar.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v).summary);
		expect(summaries).toEqual([mine.title]);
		expect(summaries).not.toContain(other.title);
	});
});

describe("a page's incidents", () => {
	it("are those in its zones, in the counts and in its Atom feed", async () => {
		const { a, b, inA } = await twoZones();
		const page = await createPage({ title: "Zone A page", zones: [a.slug] });
		const s = await pageStatus(page.slug);
		expect(s.incidents.by_zone.map((z) => z.zone)).toEqual([a.slug]);
		expect(s.incidents).toMatchObject({ last_24h: 1, last_7d: 1 });
		const res = await call(`/p/${page.slug}/incidents.atom`);
		expect(res.status).toBe(200);
		expect(res.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
		const feed = atomParser.parse(await res.text()).feed as { title: { "#text": string } | string; id: string; entry?: { id: string }[] };
		expect(feed.id).toBe(`https://vigil.test/p/${page.slug}/incidents.atom`);
		expect((feed.entry ?? []).map((e) => e.id)).toEqual([`https://vigil.test/api/incidents/${inA.id}`]);
		const html = await (await call(`/p/${page.slug}`)).text();
		expect(html).toContain("Zone A");
		expect(html).not.toContain(`>${b.name}<`);
	});

	it("are every zone's, and those in none, when the page names no zones", async () => {
		const { a, b } = await twoZones();
		const page = await createPage();
		const s = await pageStatus(page.slug);
		const zones = s.incidents.by_zone.map((z) => z.zone);
		expect(zones).toEqual(expect.arrayContaining([a.slug, b.slug, null]));
		const whole = (await (await call("/status", { headers: { "cache-control": "no-cache" } })).json()) as StatusJson;
		expect(s.incidents).toEqual(whole.incidents);
	});
});

describe("the page itself", () => {
	it("shows its title and description and links to its own feeds and JSON, with a place for its subscription form", async () => {
		const page = await createPage({ title: "Badia <watch>", description: "Desert routes & more.", language: "ar" });
		const res = await call(`/p/${page.slug}`);
		expect(res.status).toBe(200);
		expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
		const html = await res.text();
		expect(html).toContain("<h1><bdi>Badia &lt;watch&gt;</bdi></h1>");
		expect(html).toMatch(/<html lang="ar\S*" dir="rtl"/);
		expect(html).toContain("Desert routes &amp; more.");
		for (const link of ["milestones.ics", "incidents.atom", "status"]) expect(html).toContain(`href="/p/${page.slug}/${link}"`);
		expect(html).not.toContain('href="/feeds/milestones.ics"');
	});

	it("heads itself with its title in the language read: the original in the page's language, title_i18n in others", async () => {
		const page = await createPage({ title: "Badia watch", title_i18n: { ar: "مراقبة البادية" } });
		const heading = async (slug: string, query = "") => /<h1>([\s\S]*?)<\/h1>/.exec(await (await call(`/p/${slug}${query}`)).text())?.[1];
		expect(await heading(page.slug)).toBe("<bdi>Badia watch</bdi>");
		expect(await heading(page.slug, "?lang=ar")).toBe("<bdi>مراقبة البادية</bdi>");
		expect(await heading(page.slug, "?lang=ckb")).toBe('<bdi lang="en">Badia watch</bdi>');
		expect(await (await call(`/p/${page.slug}?lang=ar`)).text()).toContain("<title>مراقبة البادية: ");
		const arabic = await createPage({ title: "العراق بعد الانسحاب", language: "ar" });
		expect(await heading(arabic.slug)).toBe("<bdi>العراق بعد الانسحاب</bdi>");
		expect(await heading(arabic.slug, "?lang=en")).toMatch(/^<bdi lang="ar[^"]*">العراق بعد الانسحاب<\/bdi>$/);
	});

	it("carries its subscribe form, posting to the page itself, which the CSP lets it do", async () => {
		const page = await createPage();
		const res = await call(`/p/${page.slug}`);
		expect(res.headers.get("content-security-policy")).toContain("form-action 'self'");
		const html = await res.text();
		expect(html).toContain(`<form method="post" action="/p/${page.slug}/subscribe"`);
		expect(html).toMatch(/<input[^>]+type="email"[^>]+name="email"/);
	});

	it("is a 404 problem for an unknown slug, on all four addresses", async () => {
		for (const path of ["", "/status", "/milestones.ics", "/incidents.atom"]) await problem(await call(`/p/no-such-page-${uniqueSlug()}${path}`), 404);
	});
});

describe("a private page", () => {
	it("answers 401 without a token on all four addresses, and to the read or admin token", async () => {
		const page = await createPage({ visibility: "private" });
		for (const path of ["", "/status", "/milestones.ics", "/incidents.atom"]) {
			const denied = await call(`/p/${page.slug}${path}`);
			await problem(denied, 401);
			expect(denied.headers.get("www-authenticate")).toMatch(/^Bearer /);
			await problem(await call(`/p/${page.slug}${path}`, { headers: { authorization: "Bearer wrong" } }), 401);
			const admin = await call(`/p/${page.slug}${path}`, { headers: ADMIN });
			expect(admin.status).toBe(200);
			// Never for a shared cache: it was read with a token.
			expect(admin.headers.get("cache-control")).toMatch(/private|no-store/);
			const reader = await callWithReadToken(`/p/${page.slug}${path}`, { headers: { authorization: `Bearer ${READ_TOKEN}` } });
			expect(reader.status).toBe(200);
		}
		// It takes no subscriptions: no form, as POST /p/:slug/subscribe refuses it.
		expect(await (await call(`/p/${page.slug}`, { headers: ADMIN })).text()).not.toContain("/subscribe");
	});

	it("is not listed on /", async () => {
		const hidden = await createPage({ title: `Hidden ${uniqueSlug()}`, visibility: "private" });
		const shown = await createPage({ title: `Shown ${uniqueSlug()}` });
		const html = await (await call("/", { headers: { "cache-control": "no-cache" } })).text();
		expect(html).toContain(`href="/p/${shown.slug}"`);
		expect(html).not.toContain(hidden.slug);
	});
});
