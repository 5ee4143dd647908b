import { createRoute, z } from "@hono/zod-openapi";
import { requireRead } from "../http/auth";
import { createRouter } from "../http/openapi";
import { LangQuery, pick, Slug } from "../http/schemas";
import { incidentsAtom } from "./atom";
import { ATOM_EXAMPLE, MILESTONES_ATOM_EXAMPLE, milestonesIcsExample } from "./examples";
import { FEED_TTL_SECONDS, milestonesCalendar } from "./ics";
import { ATOM_ENTRIES, listFeedIncidents } from "./incident-feed";
import { milestonesAtom, pastMilestones } from "./milestone-atom";
import { feedMilestones } from "./queries";
import { ATOM_HEADERS, CALENDAR_HEADERS } from "./scoped";

const AtomQuery = z
	.object({ zone: Slug.optional().openapi({ description: "Only incidents in this zone (its slug)", example: "wadi-hauran" }), ...LangQuery.shape })
	.strict();

/** GET /feeds/milestones.ics for calendar apps, GET /feeds/incidents.atom and /feeds/milestones.atom for feed readers. */
export const feedsRouter = createRouter()
	.openapi(
		createRoute({
			method: "get",
			path: "/milestones.ics",
			tags: ["Feeds"],
			summary: "Every milestone as an iCalendar VEVENT, with a VALARM per alert offset",
			description:
				"Subscribe to it in a calendar app; REFRESH-INTERVAL asks for a refetch every hour. `?lang=` writes its own words (names, descriptions, reminders) in Arabic or Sorani; titles stay as written.",
			middleware: [requireRead] as const,
			request: { query: LangQuery },
			responses: {
				200: { description: "iCalendar (RFC 5545)", content: { "text/calendar": { schema: z.string(), example: milestonesIcsExample } } },
				...pick(401, 503),
			},
		}),
		async (c) => {
			const { appUrl } = c.get("config");
			const body = milestonesCalendar(await feedMilestones(c.get("db")), appUrl, c.get("now"), { ttl: FEED_TTL_SECONDS, lang: c.req.valid("query").lang });
			return c.body(body, 200, CALENDAR_HEADERS);
		},
	)
	.openapi(
		createRoute({
			method: "get",
			path: "/incidents.atom",
			tags: ["Feeds"],
			summary: "Verified incidents as an Atom feed, newest first",
			description: `The ${ATOM_ENTRIES} most recent verified, unretracted incidents by occurrence. \`?zone=<slug>\` narrows it to one zone; an unknown zone is a 404. \`?lang=\` writes the feed's own words (titles, summary labels) in Arabic or Sorani.`,
			middleware: [requireRead] as const,
			request: { query: AtomQuery },
			responses: {
				200: { description: "An Atom 1.0 feed", content: { "application/atom+xml": { schema: z.string(), example: ATOM_EXAMPLE } } },
				...pick(400, 401, 404, 503),
			},
		}),
		async (c) => {
			const { zone, lang } = c.req.valid("query");
			const { zone: zoneInfo, items } = await listFeedIncidents(c.get("db"), { zone });
			const { appUrl } = c.get("config");
			const query = new URLSearchParams({ ...(zone && { zone }), ...(lang && { lang }) }).toString();
			const selfUrl = `${appUrl}/feeds/incidents.atom${query ? `?${query}` : ""}`;
			const xml = incidentsAtom(items, { appUrl, selfUrl, zone: zoneInfo, now: c.get("now"), lang });
			return c.body(xml, 200, ATOM_HEADERS);
		},
	)
	.openapi(
		createRoute({
			method: "get",
			path: "/milestones.atom",
			tags: ["Feeds"],
			summary: "Milestones whose date has come, as an Atom feed: their outcome, or overdue, or awaiting outcome",
			description:
				"The latest 50 by due date. Recording or correcting an outcome updates the entry (its note and source link are in the summary). `?lang=` writes the feed's own words in Arabic or Sorani.",
			middleware: [requireRead] as const,
			request: { query: LangQuery },
			responses: {
				200: { description: "An Atom 1.0 feed", content: { "application/atom+xml": { schema: z.string(), example: MILESTONES_ATOM_EXAMPLE } } },
				...pick(401, 503),
			},
		}),
		async (c) => {
			const now = c.get("now");
			const xml = milestonesAtom(await pastMilestones(c.get("db"), now), { appUrl: c.get("config").appUrl, now, lang: c.req.valid("query").lang });
			return c.body(xml, 200, ATOM_HEADERS);
		},
	);
