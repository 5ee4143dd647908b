import { createApp } from "./app";
import { runScheduled } from "./cron/runner";
import type { Env } from "./env";

const app = createApp();

export default {
	fetch: app.fetch,
	scheduled: (controller, env) => runScheduled(controller, env),
} satisfies ExportedHandler<Env>;
