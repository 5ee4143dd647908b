import { describe, expect, it } from "vitest";
import { ZoneMap } from "../../worker/status/map";
import type { MapData, MapZone } from "../../worker/status/map-layout";
import { square } from "../support/zones";

const render = (data: MapData, byZone: { zone: string | null; last_7d: number }[] = []) => (<ZoneMap data={data} byZone={byZone} />).toString();
const zone = (slug: string, name: string, lon: number | null): MapZone => ({ slug, name, polygon: lon === null ? null : square(lon, 33) });

describe("ZoneMap", () => {
	it("is an inline SVG image named by its title and described by its desc, with no style attribute and no script", () => {
		const html = render({
			zones: [zone("a", "Wadi Hauran", 40), zone("b", "Hamrin", 43)],
			incidents: { points: [{ lon: 40.5, lat: 33.5, zone: "a" }], withoutCoordinates: 2 },
		});
		expect(html).toMatch(/<svg viewBox="0 0 640 \d+" role="img" aria-labelledby="map-title map-desc" data-map="zones-incidents">/);
		expect(html).toContain('<title id="map-title">Map of zones and incidents, last 7 days</title>');
		expect(html).toContain('<desc id="map-desc">2 zones drawn; 3 incidents in the last 7 days, 1 drawn as points; 2 not drawn, without coordinates.</desc>');
		expect(html).not.toMatch(/\sstyle=|<script|href=/);
		expect(html.match(/<path class="zone" d="M[^"]+Z">/g)).toHaveLength(2);
		expect(html).toMatch(/<g class="scale"><path d="M12 [\d.]+V[\d.]+H[\d.]+V[\d.]+"><\/path><text [^>]*>\d+ km<\/text><\/g>/);
	});

	it("lists zones without an outline under the map instead of drawing them, and says so in the desc", () => {
		const html = render({
			zones: [zone("a", "Drawn", 40), zone("b", "Bare one", null), zone("c", "Bare two", null)],
			incidents: { points: [], withoutCoordinates: 0 },
		});
		expect(html).toContain('<p class="small" data-not-drawn="">Not drawn, no outline: Bare one, Bare two.</p>');
		expect(html).toContain("1 zone drawn (2 without an outline not drawn)");
		expect(html.match(/<path class="zone"/g)).toHaveLength(1);
		expect(html).not.toMatch(/<title>Bare/);
	});

	it("draws an incident outside every zone as a square and one in a zone as a circle, both in the legend", () => {
		const html = render({
			zones: [zone("a", "Wadi Hauran", 40)],
			incidents: {
				points: [
					{ lon: 40.5, lat: 33.5, zone: "a" },
					{ lon: 44.37, lat: 33.31, zone: null },
				],
				withoutCoordinates: 0,
			},
		});
		const svg = html.slice(0, html.indexOf("</svg>"));
		expect(svg.match(/<circle class="pt" cx="[\d.]+" cy="[\d.]+" r="4">/g)).toHaveLength(1);
		expect(svg.match(/<rect class="pt out" x="\d+(\.\d)?" y="\d+(\.\d)?" width="8" height="8">/g)).toHaveLength(1);
		expect(html).toContain("2 drawn as points (1 outside any zone)");
		expect(html).toContain("Incident in a zone</li>");
		expect(html).toContain("Incident outside any zone</li>");
	});

	it("above the cap shows each zone's count as a numbered circle with the zone's name, and no points", () => {
		const html = render({ zones: [zone("a", "Wadi Hauran", 40), zone("b", "Bare", null)], incidents: { tooMany: true } }, [
			{ zone: "a", last_7d: 512 },
			{ zone: "b", last_7d: 30 },
			{ zone: null, last_7d: 9 },
		]);
		expect(html).toMatch(
			/<g class="count"><title>Wadi Hauran: 512 incidents in the last 7 days<\/title><circle class="bubble" [^>]+><\/circle><text [^>]*>512<\/text><\/g>/,
		);
		expect(html).not.toContain('class="pt');
		expect(html).toContain(
			"551 incidents in the last 7 days, more than 500, so drawn as a count per zone; 39 not drawn, outside any zone or in a zone without an outline.",
		);
		expect(html).toMatch(/<text class="label" [^>]*>Wadi Hauran<\/text>/);
	});

	it("escapes zone names in the SVG and keeps Arabic as written", () => {
		const hostile = `<script>alert("x")</script> & 'q'`;
		const html = render({
			zones: [zone("a", hostile, 40), zone("b", "وادي حوران", 42), zone("c", `Bare "<i>"`, null)],
			incidents: { points: [], withoutCoordinates: 0 },
		});
		expect(html).not.toContain("<script>");
		expect(html).not.toContain("<i>");
		expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;");
		expect(html).toContain("<title>وادي حوران</title>");
		expect(html).toMatch(/<text class="label" [^>]*>وادي حوران<\/text>/);
		expect(html).toContain("Not drawn, no outline: Bare &quot;&lt;i&gt;&quot;.");
	});

	it("says there is nothing to map rather than drawing an empty box", () => {
		expect(render({ zones: [zone("b", "Bare", null)], incidents: { points: [], withoutCoordinates: 4 } })).toContain(
			'<p class="muted">Nothing to map: no zone has an outline and no incident of the last 7 days has coordinates.</p>',
		);
		expect(render({ zones: [], incidents: { tooMany: true } }, [{ zone: null, last_7d: 700 }])).toContain(
			"Nothing to map: no zone has an outline, and the last 7 days&#39; 700 incidents are too many to draw one by one.",
		);
	});

	it("speaks the page's language: an Arabic page's map has an Arabic name, description, legend and scale", () => {
		const data: MapData = {
			zones: [zone("a", "Wadi Hauran", 40), zone("b", "Hamrin", 43), zone("c", "Bare", null)],
			incidents: { points: [{ lon: 40.5, lat: 33.5, zone: "a" }], withoutCoordinates: 2 },
		};
		const ar = (<ZoneMap data={data} byZone={[]} lang="ar" />).toString();
		expect(ar).toContain('<title id="map-title">خريطة المناطق والحوادث، آخر ٧ أيام</title>');
		expect(ar).toContain(
			'<desc id="map-desc">المناطق المرسومة: ٢ (و١ بلا حدود لم تُرسم)؛ ٣ حوادث في آخر ٧ أيام، رُسم منها ١ نقاطًا؛ ولم يُرسم ٢ لأنها بلا إحداثيات.</desc>',
		);
		expect(ar).toMatch(/<text [^>]*>[٠-٩٬]+ كم<\/text>/);
		expect(ar).toContain("حدود المنطقة");
		expect(ar).toContain("لم تُرسم، بلا حدود: Bare.");
		expect(ar).not.toMatch(/Map of zones|Zone outline|km</);
		const ckb = (<ZoneMap data={data} byZone={[]} lang="ckb" />).toString();
		expect(ckb).toContain('<title id="map-title">نەخشەی ناوچەکان و ڕووداوەکان، ٧ ڕۆژی ڕابردوو</title>');
	});
});
