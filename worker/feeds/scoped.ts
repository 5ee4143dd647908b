// A situation page's feeds: the same calendar and Atom documents as /feeds, narrowed to its tags and zones.
import type { Db } from "../db/client";
import { type Language, t } from "../i18n";
import { incidentsAtom } from "./atom";
import { FEED_TTL_SECONDS, milestonesCalendar } from "./ics";
import { listFeedIncidents } from "./incident-feed";
import { feedMilestones } from "./queries";

/** What a page's feeds are made of: its title, its path (`/p/<slug>`), its tags and zones (empty: all). */
export interface FeedScope {
	title: string;
	path: string;
	tags: readonly string[];
	zones: readonly string[];
	/** The language of the feeds' own words. */
	lang: Language;
}

export const CALENDAR_HEADERS = { "content-type": "text/calendar; charset=utf-8", "cache-control": `public, max-age=${FEED_TTL_SECONDS / 4}` };
export const ATOM_HEADERS = { "content-type": "application/atom+xml; charset=utf-8", "cache-control": "public, max-age=300" };

/** The page's milestones as iCalendar (`<path>/milestones.ics`). */
export async function scopedCalendar(db: Db, appUrl: string, now: Date, scope: FeedScope): Promise<string> {
	const rows = await feedMilestones(db, scope.tags);
	return milestonesCalendar(rows, appUrl, now, {
		ttl: FEED_TTL_SECONDS,
		name: t(scope.lang, "feed.page_calendar", { page: scope.title }),
		path: `${scope.path}/milestones.ics`,
		lang: scope.lang,
	});
}

/** The page's verified incidents as Atom (`<path>/incidents.atom`). */
export async function scopedAtom(db: Db, appUrl: string, now: Date, scope: FeedScope): Promise<string> {
	const { items } = await listFeedIncidents(db, { zones: scope.zones });
	return incidentsAtom(items, {
		appUrl,
		selfUrl: `${appUrl}${scope.path}/incidents.atom`,
		alternateUrl: `${appUrl}${scope.path}`,
		title: t(scope.lang, "feed.page_incidents", { page: scope.title }),
		now,
		lang: scope.lang,
	});
}
