import { createApp } from "./app";
import type { Env } from "./env";
import { runQueue } from "./queues";
import { runScheduled } from "./scheduled";

const app = createApp();

export default {
	fetch: app.fetch,
	scheduled: (controller, env) => runScheduled(controller, env),
	queue: (batch, env) => runQueue(batch, env),
} satisfies ExportedHandler<Env>;
