import { createRoute, z } from "@hono/zod-openapi";
import { requireRead } from "../http/auth";
import { createRouter } from "../http/openapi";
import { pick } from "../http/schemas";
import { milestonesIcsExample } from "./examples";
import { FEED_TTL_SECONDS, milestonesCalendar } from "./ics";
import { feedMilestones } from "./queries";

export const feedsRouter = createRouter().openapi(
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
);
