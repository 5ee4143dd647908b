import SwaggerParser from "@apidevtools/swagger-parser";
import type { OpenAPI } from "openapi-types";
import { describe, expect, it } from "vitest";
import { createApp } from "../../worker/app";
import type { Env } from "../../worker/env";

// Building the document queries nothing, so the app answers /openapi.json in plain Node with a D1
// binding that has no method at all: a route that reached the database would fail here.
const env = { DB: {} as D1Database, APP_URL: "https://vigil.test", ALERT_FROM: "vigil@example.org", DEFAULT_TIMEZONE: "UTC" } as Env;

describe("/openapi.json", () => {
	it("passes swagger-parser's OpenAPI 3.1 validation", async () => {
		const res = await createApp().request("https://vigil.test/openapi.json", {}, env);
		expect(res.status).toBe(200);
		const doc = (await res.json()) as { openapi: string };
		expect(doc.openapi).toBe("3.1.0");
		// validate() rejects with every schema error it finds; it dereferences in place, hence the copy.
		const api = await SwaggerParser.validate(structuredClone(doc) as OpenAPI.Document);
		expect(api.info.title).toBe("Vigil");
	});

	it("is rejected by the validator when broken, so the test above can fail", async () => {
		const res = await createApp().request("https://vigil.test/openapi.json", {}, env);
		const doc = (await res.json()) as { paths: Record<string, Record<string, { responses?: unknown }>> };
		const first = Object.values(doc.paths)[0];
		const op = first && Object.values(first)[0];
		if (op) op.responses = "not an object";
		await expect(SwaggerParser.validate(doc as OpenAPI.Document)).rejects.toThrow();
	});
});
