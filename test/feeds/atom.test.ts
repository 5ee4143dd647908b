import { env } from "cloudflare:test";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { createApp } from "../../worker/app";
import { call, problem } from "../support/http";
import { insertIncident, insertSource, insertZone } from "../support/incident-rows";

interface AtomEntry {
	id: string;
	title: { "#text": string; "@_type": string };
	updated: string;
	published: string;
	summary?: { "#text": string };
	link: { "@_href": string } | { "@_href": string }[];
}

const parser = new XMLParser({
	ignoreAttributes: false,
	processEntities: true,
	htmlEntities: false,
	isArray: (name) => name === "entry" || name === "category" || name === "link",
});

async function feed(path: string) {
	const res = await call(path);
	expect(res.status).toBe(200);
	expect(res.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
	const doc = parser.parse(await res.text()) as { feed: { "@_xmlns": string; id: string; title: { "#text": string }; updated: string; entry?: AtomEntry[] } };
	expect(doc.feed["@_xmlns"]).toBe("http://www.w3.org/2005/Atom");
	return doc.feed;
}

describe("GET /feeds/incidents.atom", () => {
	it("lists only a zone's verified, unretracted incidents, newest first", async () => {
		const [zone, other, source] = await Promise.all([insertZone("Hamrin mountains"), insertZone("Elsewhere"), insertSource()]);
		const t = Date.UTC(2025, 8, 1);
		const older = await insertIncident(source.id, {
			occurredAt: new Date(t),
			zoneId: zone.id,
			eventType: "Battles",
			subEventType: "Armed clash",
			location: "Tuz",
		});
		const newer = await insertIncident(source.id, { occurredAt: new Date(t + 86_400_000), zoneId: zone.id, eventType: "Explosions/Remote violence" });
		await insertIncident(source.id, { occurredAt: new Date(t + 2), zoneId: zone.id, verification: "unverified" });
		await insertIncident(source.id, { occurredAt: new Date(t + 3), zoneId: zone.id, verification: "rejected" });
		await insertIncident(source.id, { occurredAt: new Date(t + 4), zoneId: zone.id, retractedAt: new Date(t + 5) });
		await insertIncident(source.id, { occurredAt: new Date(t + 6), zoneId: other.id });

		const f = await feed(`/feeds/incidents.atom?zone=${zone.slug}`);
		expect(f.title["#text"]).toBe("Vigil: verified incidents in Hamrin mountains");
		expect(f.id).toBe(`https://vigil.test/feeds/incidents.atom?zone=${zone.slug}`);
		expect(f.entry?.map((e) => e.id)).toEqual([`https://vigil.test/api/incidents/${newer.id}`, `https://vigil.test/api/incidents/${older.id}`]);
		const [first, second] = f.entry ?? [];
		expect(first?.title["#text"]).toBe("Explosions/Remote violence — Hamrin mountains");
		expect(second?.title["#text"]).toBe("Battles: Armed clash — Tuz");
		expect(second?.published).toBe(new Date(t).toISOString());
		expect(f.updated).toBe(newer.updatedAt.toISOString());
	});

	it("includes verified incidents from every zone without a filter", async () => {
		const [zone, source] = await Promise.all([insertZone(), insertSource()]);
		const row = await insertIncident(source.id, { occurredAt: new Date(Date.UTC(2099, 0, 1)), zoneId: zone.id });
		const f = await feed("/feeds/incidents.atom");
		expect(f.title["#text"]).toBe("Vigil: verified incidents");
		expect(f.entry?.[0]?.id).toBe(`https://vigil.test/api/incidents/${row.id}`);
	});

	it("escapes text meant to break HTML or XML, so it reads back literally", async () => {
		const [zone, source] = await Promise.all([insertZone('<Zone> & "co"'), insertSource()]);
		const nasty = `<script>alert(1)</script> ]]> & \u0001bell`;
		await insertIncident(source.id, {
			occurredAt: new Date(Date.UTC(2025, 0, 1)),
			zoneId: zone.id,
			eventType: "Riots",
			location: nasty,
			notes: nasty,
			sourceUrl: "javascript:alert(1)",
		});
		const res = await call(`/feeds/incidents.atom?zone=${zone.slug}`);
		const xml = await res.text();
		expect(xml).not.toContain("<script>");
		const f = parser.parse(xml) as { feed: { title: { "#text": string }; entry: AtomEntry[] } };
		expect(f.feed.title["#text"]).toBe('Vigil: verified incidents in <Zone> & "co"');
		const entry = f.feed.entry[0];
		// The title is type="text": it reads back as the literal characters, less the control character XML cannot hold.
		expect(entry?.title).toEqual({ "#text": "Riots — <script>alert(1)</script> ]]> & bell", "@_type": "text" });
		// The summary is type="html": after XML decoding it is escaped HTML, which a reader shows as text.
		expect(entry?.summary?.["#text"]).toContain("&lt;script&gt;alert(1)&lt;/script&gt; ]]&gt; &amp; bell");
		expect(JSON.stringify(entry?.link)).not.toContain("javascript:");
	});

	it("answers 404 for an unknown zone and 400 for a malformed one", async () => {
		await problem(await call("/feeds/incidents.atom?zone=no-such-zone-here"), 404);
		await problem(await call("/feeds/incidents.atom?zone=Not%20A%20Slug"), 400);
		await problem(await call("/feeds/incidents.atom?zone=x&extra=1"), 400);
	});

	it("needs the read token when READ_TOKEN is set", async () => {
		const app = createApp();
		const closed = { ...env, READ_TOKEN: "reader-secret" };
		const url = "https://vigil.test/feeds/incidents.atom";
		await problem(await app.fetch(new Request(url), closed), 401);
		await problem(await app.fetch(new Request(url, { headers: { authorization: "Bearer wrong" } }), closed), 401);
		const ok = await app.fetch(new Request(url, { headers: { authorization: "Bearer reader-secret" } }), closed);
		expect(ok.status).toBe(200);
	});
});
