import { defineConfig } from "vitest/config";

// Tests for Node-only tools (an OpenAPI validator, the deploy script and its fake wrangler) that do not run inside workerd.
export default defineConfig({
	test: {
		include: ["test/node/**/*.test.ts"],
		environment: "node",
	},
});
