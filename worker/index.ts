import { createApp } from "./app";
import type { Env } from "./env";
import { runScheduled } from "./scheduled";

const app = createApp();

export default {
	fetch: app.fetch,
	scheduled: (controller, env) => runScheduled(controller, env),
} satisfies ExportedHandler<Env>;
