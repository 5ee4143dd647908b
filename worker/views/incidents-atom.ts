import { Feed } from "feed";
import type { FeedIncident } from "../domain/incident-feed";

// XML 1.0 cannot carry most control characters at all, escaped or not: drop them.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
const clean = (text: string) => text.replace(NOT_XML, "");
const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
/**
 * The library marks entry titles and summaries type="html" (in CDATA), so readers parse them as
 * HTML: escape the text, so "<script>" shows as text and "]]>" cannot close the CDATA early.
 */
const html = (text: string) => clean(text).replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);

/** Only http(s) links reach a reader's feed, and only ones that parse (the library throws otherwise). */
const httpUrl = (url: string | null) => (url && /^https?:\/\//i.test(url) && URL.canParse(url) ? url : null);

/** "Armed clash: Attack — Wadi Hauran" */
function entryTitle({ incident: i, zone }: FeedIncident): string {
	const what = i.subEventType ? `${i.eventType}: ${i.subEventType}` : i.eventType;
	const where = i.location ?? zone?.name ?? i.admin1 ?? i.country;
	return html(where ? `${what} — ${where}` : what);
}

/** Plain-text summary: date, actors, fatalities, then the reporter's notes. */
function entrySummary({ incident: i, zone }: FeedIncident): string {
	const lines = [
		`Date: ${i.eventDate}`,
		i.actor1 ? `Actors: ${[i.actor1, i.actor2].filter(Boolean).join(" / ")}` : null,
		`Fatalities: ${i.fatalities}`,
		zone ? `Zone: ${zone.name}` : null,
		i.reportSource ? `Reported by: ${i.reportSource}` : null,
		i.notes,
	];
	return lines
		.filter((l): l is string => Boolean(l))
		.map(html)
		.join("<br>\n");
}

/**
 * The Atom 1.0 document for a list of verified incidents (newest first). Built with the `feed`
 * library, which escapes text and attributes; `updated` is the newest entry's change, so an
 * unchanged feed keeps the same document.
 */
export function incidentsAtom(
	items: readonly FeedIncident[],
	opts: { appUrl: string; selfUrl: string; zone?: { slug: string; name: string } | undefined; now: Date },
): string {
	const newest = items.reduce<Date | null>((max, { incident }) => (max === null || incident.updatedAt > max ? incident.updatedAt : max), null);
	const feed = new Feed({
		id: opts.selfUrl,
		title: opts.zone ? `Vigil: verified incidents in ${clean(opts.zone.name)}` : "Vigil: verified incidents",
		description: "Verified incident reports, newest first.",
		link: `${opts.appUrl}/`,
		feedLinks: { atom: opts.selfUrl },
		updated: newest ?? opts.now,
		author: { name: "Vigil", link: `${opts.appUrl}/` },
		generator: "Vigil",
		copyright: "Incident data as reported by its sources",
	});
	for (const item of items) {
		const i = item.incident;
		const url = `${opts.appUrl}/api/incidents/${i.id}`;
		feed.addItem({
			id: url,
			link: httpUrl(i.sourceUrl) ?? url,
			title: entryTitle(item),
			description: entrySummary(item),
			date: i.updatedAt,
			published: i.occurredAt,
			category: [{ term: clean(i.eventType) }, ...(item.zone ? [{ term: item.zone.slug, name: clean(item.zone.name) }] : [])],
		});
	}
	return feed.atom1();
}
