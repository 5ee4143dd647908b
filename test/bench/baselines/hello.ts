// Baseline: the least a Hono Worker can do. Vigil's read paths are measured against it.
import { Hono } from "hono";

const app = new Hono();
app.get("/", (c) => c.text("Hello, world"));

export default { fetch: app.fetch } satisfies ExportedHandler;
