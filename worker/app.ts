import { ackRouter } from "./alerts/ack-routes";
import { channelsRouter } from "./alerts/channels/routes";
import { alertsRouter } from "./alerts/routes";
import { silencesRouter } from "./alerts/silence-routes";
import { feedsRouter } from "./feeds/routes";
import { createHttpApp, type Mount } from "./http/app";
import { webhooksRouter } from "./incidents/intake/routes";
import { incidentExportsRouter, incidentsRouter } from "./incidents/routes";
import { milestonesRouter } from "./milestones/routes";
import { pageViewsRouter } from "./pages/page-routes";
import { pagesRouter } from "./pages/routes";
import { sourcesRouter } from "./sources/routes";
import { statusRouter } from "./status/routes";
import { confirmRouter, optInRouter } from "./subscribers/optin-routes";
import { subscribersRouter } from "./subscribers/routes";
import { unsubscribeRouter } from "./subscribers/unsubscribe";
import { zonesRouter } from "./zones/routes";

/** Every feature's sub-app and where it is mounted; order matters where paths overlap. */
const MOUNTS: readonly Mount[] = [
	["/", statusRouter],
	["/api/milestones", milestonesRouter],
	["/api/zones", zonesRouter],
	["/api/sources", sourcesRouter],
	["/api", incidentExportsRouter],
	["/api/incidents", incidentsRouter],
	["/webhooks", webhooksRouter],
	["/api/subscribers", subscribersRouter],
	["/api/silences", silencesRouter],
	["/api/alerts", alertsRouter],
	["/api/channels", channelsRouter],
	["/unsubscribe", unsubscribeRouter],
	["/p", optInRouter],
	["/confirm", confirmRouter],
	["/ack", ackRouter],
	["/feeds", feedsRouter],
	["/api/pages", pagesRouter],
	["/p", pageViewsRouter],
];

/** Vigil's HTTP app: the shared middleware and error handling around every feature's routes. */
export const createApp = () => createHttpApp(MOUNTS);
