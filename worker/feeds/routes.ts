import { createRoute, z } from "@hono/zod-openapi";
import { requireRead } from "../http/auth";
import { createRouter } from "../http/openapi";
import { pick, Slug } from "../http/schemas";
import { incidentsAtom } from "./atom";
import { milestonesIcsExample } from "./examples";
import { FEED_TTL_SECONDS, milestonesCalendar } from "./ics";
import { ATOM_ENTRIES, listFeedIncidents } from "./incident-feed";
import { milestonesAtom, pastMilestones } from "./milestone-atom";
import { feedMilestones } from "./queries";

const AtomQuery = z.object({ zone: Slug.optional().openapi({ description: "Only incidents in this zone (its slug)", example: "wadi-hauran" }) }).strict();

const ATOM_EXAMPLE = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><id>https://vigil.example.org/feeds/incidents.atom</id><title type="text">Vigil: verified incidents</title><updated>2025-09-02T08:00:00.000Z</updated><entry><id>https://vigil.example.org/api/incidents/42</id><title type="text">Explosions/Remote violence: Air/drone strike — Wadi Hauran</title><updated>2025-09-02T08:00:00.000Z</updated><published>2025-09-01T00:00:00.000Z</published><summary type="html">Date: 2025-09-01&lt;br&gt;
Fatalities: 2</summary></entry></feed>
`;

const MILESTONES_ATOM_EXAMPLE = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><id>https://vigil.example.org/feeds/milestones.atom</id><title type="text">Vigil: milestones and their outcomes</title><updated>2025-11-12T08:00:00.000Z</updated><entry><id>https://vigil.example.org/api/milestones/3</id><title type="text">Held: Iraqi parliamentary elections</title><updated>2025-11-12T08:00:00.000Z</updated><published>2025-11-10T21:00:00.000Z</published><summary type="html">Event on 11 November 2025.&lt;br&gt;
Outcome: held (recorded 2025-11-12).&lt;br&gt;
Polls opened on time; turnout 56%</summary></entry></feed>
`;

/** GET /feeds/milestones.ics for calendar apps, GET /feeds/incidents.atom and /feeds/milestones.atom for feed readers. */
export const feedsRouter = createRouter()
	.openapi(
		createRoute({
			method: "get",
			path: "/milestones.ics",
			tags: ["Feeds"],
			summary: "Every milestone as an iCalendar VEVENT, with a VALARM per alert offset",
			description: "Subscribe to it in a calendar app; REFRESH-INTERVAL asks for a refetch every hour.",
			middleware: [requireRead] as const,
			responses: {
				200: { description: "iCalendar (RFC 5545)", content: { "text/calendar": { schema: z.string(), example: milestonesIcsExample } } },
				...pick(401, 503),
			},
		}),
		async (c) => {
			const { appUrl } = c.get("config");
			const body = milestonesCalendar(await feedMilestones(c.get("db")), appUrl, c.get("now"), { ttl: FEED_TTL_SECONDS });
			return c.body(body, 200, { "content-type": "text/calendar; charset=utf-8", "cache-control": `public, max-age=${FEED_TTL_SECONDS / 4}` });
		},
	)
	.openapi(
		createRoute({
			method: "get",
			path: "/incidents.atom",
			tags: ["Feeds"],
			summary: "Verified incidents as an Atom feed, newest first",
			description: `The ${ATOM_ENTRIES} most recent verified, unretracted incidents by occurrence. \`?zone=<slug>\` narrows it to one zone; an unknown zone is a 404.`,
			middleware: [requireRead] as const,
			request: { query: AtomQuery },
			responses: {
				200: { description: "An Atom 1.0 feed", content: { "application/atom+xml": { schema: z.string(), example: ATOM_EXAMPLE } } },
				...pick(400, 401, 404, 503),
			},
		}),
		async (c) => {
			const { zone } = c.req.valid("query");
			const { zone: zoneInfo, items } = await listFeedIncidents(c.get("db"), { zone });
			const { appUrl } = c.get("config");
			const selfUrl = `${appUrl}/feeds/incidents.atom${zone ? `?zone=${encodeURIComponent(zone)}` : ""}`;
			const xml = incidentsAtom(items, { appUrl, selfUrl, zone: zoneInfo, now: c.get("now") });
			return c.body(xml, 200, { "content-type": "application/atom+xml; charset=utf-8", "cache-control": "public, max-age=300" });
		},
	)
	.openapi(
		createRoute({
			method: "get",
			path: "/milestones.atom",
			tags: ["Feeds"],
			summary: "Milestones whose date has come, as an Atom feed: their outcome, or overdue, or awaiting outcome",
			description: "The latest 50 by due date. Recording or correcting an outcome updates the entry (its note and source link are in the summary).",
			middleware: [requireRead] as const,
			responses: {
				200: { description: "An Atom 1.0 feed", content: { "application/atom+xml": { schema: z.string(), example: MILESTONES_ATOM_EXAMPLE } } },
				...pick(401, 503),
			},
		}),
		async (c) => {
			const now = c.get("now");
			const xml = milestonesAtom(await pastMilestones(c.get("db"), now), { appUrl: c.get("config").appUrl, now });
			return c.body(xml, 200, { "content-type": "application/atom+xml; charset=utf-8", "cache-control": "public, max-age=300" });
		},
	);
