import { type Language, LOCALES, t } from "../i18n";
import type { FeedIncident } from "./incident-feed";
import { el, xmlDocument } from "./xml";

const ATOM_NS = "http://www.w3.org/2005/Atom";
const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);

/** Only http(s) links that parse reach a reader's feed (no javascript: and the like). */
export const httpUrl = (url: string | null) => (url && /^https?:\/\//i.test(url) && URL.canParse(url) ? url : null);

/** "Battles: Armed clash — Tuz" */
function entryTitle({ incident: i, zone }: FeedIncident): string {
	const what = i.subEventType ? `${i.eventType}: ${i.subEventType}` : i.eventType;
	const where = i.location ?? zone?.name ?? i.admin1 ?? i.country;
	return where ? `${what} — ${where}` : what;
}

/**
 * The summary as type="html": each line HTML-escaped, then joined with <br>; el() escapes the
 * whole again for XML, so a reader shows "<script>" in a note as text.
 */
function entrySummary(lang: Language, { incident: i, zone }: FeedIncident): string {
	const lines = [
		t(lang, "feed.date", { date: i.eventDate }),
		i.actor1 ? t(lang, "feed.actors", { actors: [i.actor1, i.actor2].filter(Boolean).join(" / ") }) : null,
		t(lang, "feed.fatalities", { count: i.fatalities }),
		zone ? t(lang, "feed.zone", { zone: zone.name }) : null,
		i.reportSource ? t(lang, "feed.reported_by", { source: i.reportSource }) : null,
		i.notes,
	];
	return lines
		.filter((l): l is string => Boolean(l))
		.map(escapeHtml)
		.join("<br>\n");
}

function entry(item: FeedIncident, appUrl: string, lang: Language) {
	const i = item.incident;
	const url = `${appUrl}/api/incidents/${i.id}`;
	const source = httpUrl(i.sourceUrl);
	return el(
		"entry",
		null,
		el("id", null, url),
		el("title", { type: "text" }, entryTitle(item)),
		el("updated", null, i.updatedAt.toISOString()),
		el("published", null, i.occurredAt.toISOString()),
		el("link", { rel: "alternate", type: "application/json", href: url }),
		source ? el("link", { rel: "related", href: source }) : null,
		el("category", { term: i.eventType }),
		item.zone ? el("category", { term: item.zone.slug, label: item.zone.name }) : null,
		el("summary", { type: "html" }, entrySummary(lang, item)),
	);
}

/**
 * The Atom 1.0 (RFC 4287) document for verified incidents, newest first. `updated` is the
 * newest entry's change, so an unchanged feed is the same document.
 */
export function incidentsAtom(
	items: readonly FeedIncident[],
	opts: {
		appUrl: string;
		selfUrl: string;
		zone?: { slug: string; name: string } | undefined;
		now: Date;
		title?: string;
		alternateUrl?: string;
		/** The language of the feed's own words (titles, summary labels); user text stays as written. */
		lang?: Language;
	},
): string {
	const lang = opts.lang ?? "en";
	const newest = items.reduce<Date | null>((max, { incident }) => (max === null || incident.updatedAt > max ? incident.updatedAt : max), null);
	return xmlDocument(
		el(
			"feed",
			{ xmlns: ATOM_NS, "xml:lang": LOCALES[lang].tag },
			el("id", null, opts.selfUrl),
			el("title", { type: "text" }, opts.title ?? (opts.zone ? t(lang, "feed.incidents_in", { zone: opts.zone.name }) : t(lang, "status.feed_incidents"))),
			el("subtitle", null, t(lang, "feed.incidents_subtitle")),
			el("updated", null, (newest ?? opts.now).toISOString()),
			el("author", null, el("name", null, "Vigil"), el("uri", null, `${opts.appUrl}/`)),
			el("link", { rel: "self", type: "application/atom+xml", href: opts.selfUrl }),
			el("link", { rel: "alternate", type: "text/html", href: opts.alternateUrl ?? `${opts.appUrl}/` }),
			el("generator", null, "Vigil"),
			items.map((item) => entry(item, opts.appUrl, lang)),
		),
	);
}
