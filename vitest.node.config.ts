import { defineConfig } from "vitest/config";

// Tests for Node-only tools (an OpenAPI validator) that do not load inside workerd.
export default defineConfig({
	test: {
		include: ["test/node/**/*.test.ts"],
		environment: "node",
	},
});
