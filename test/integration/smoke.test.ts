import { describe, expect, it } from "vitest";
import { call } from "../helpers";

describe("smoke", () => {
	it("answers healthz", async () => {
		const res = await call("/healthz");
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({ ok: true });
	});
});
