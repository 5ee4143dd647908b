import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cannotRun, fencedBlocks, firstLine, looksMeantToRun } from "../docs/blocks";
import { failureReport, runSession, type SessionOptions } from "../docs/session";

// The harness that runs the docs' shell examples (test/docs/run.ts), checked against a tiny server
// instead of a whole Vigil: 200 for /ok when the admin token is sent, a problem+json 404 elsewhere.
const TOKEN = "test-token-1";
let server: Server;
let options: SessionOptions;
let cwd: string;

beforeAll(async () => {
	server = createServer((req, res) => {
		const ok = req.url === "/ok" && req.headers.authorization === `Bearer ${TOKEN}`;
		res.writeHead(ok ? 200 : 404, { "content-type": ok ? "application/json" : "application/problem+json" });
		res.end(ok ? '{"ok":true}' : '{"title":"Not found","status":404}');
	});
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	const address = server.address();
	const port = typeof address === "object" && address ? address.port : 0;
	cwd = mkdtempSync(join(tmpdir(), "vigil-docs-harness-"));
	writeFileSync(join(cwd, ".dev.vars"), `ADMIN_TOKEN=${TOKEN}\nSECRETS_KEY=x\n`);
	options = { cwd, vigil: `http://127.0.0.1:${port}`, adminToken: TOKEN, blockTimeoutMs: 10_000 };
});

afterAll(() => {
	server.close();
	rmSync(cwd, { recursive: true, force: true });
});

const md = (...blocks: string[]) => blocks.join("\n\nSome prose.\n\n");
const sh = (code: string) => `\`\`\`sh\n${code}\n\`\`\``;
const shBlocks = (text: string) => fencedBlocks(text).filter((b) => b.lang === "sh");

describe("fencedBlocks", () => {
	it("finds each block with its language and the line its code starts on", () => {
		const text =
			"# Title\n\n```sh\necho one\n```\n\n~~~console\n$ npm start\n~~~\n\n- a list item:\n\n  ```text\n  shown\n  ```\n````sh\n```\nstill in\n````\n";
		expect(fencedBlocks(text)).toEqual([
			{ lang: "sh", line: 4, code: "echo one" },
			{ lang: "console", line: 8, code: "$ npm start" },
			{ lang: "text", line: 14, code: "shown" },
			{ lang: "sh", line: 17, code: "```\nstill in" },
		]);
	});

	it("names a block by its first non-blank line, and notices shell blocks fenced otherwise than sh", () => {
		const [block] = fencedBlocks("```bash\n\n  curl -s $VIGIL/healthz\n```");
		expect(block && firstLine(block)).toEqual({ text: "  curl -s $VIGIL/healthz", line: 3 });
		expect(block && looksMeantToRun(block)).toBe(true);
	});

	it("refuses commands that cannot run in a session: a second server, the tests, a reinstall, a deploy", () => {
		const found = (code: string) => cannotRun({ lang: "sh", line: 1, code });
		expect(found("npm ci && npm start   # local D1 migrated")).toBe("npm ci");
		expect(found("cd x\nnpx wrangler deploy --dry-run")).toBe("npx wrangler deploy");
		expect(found("npm test")).toBe("npm test");
		expect(found("npm run test:docs -- docs/api.md")).toBe("npm run test:docs");
		expect(found('curl -s "$VIGIL/healthz"  # the same as npm start prints')).toBeNull();
		expect(found("npm run db:migrate")).toBeNull();
	});
});

describe("a docs session", () => {
	it("runs a file's blocks in one shell: variables carry, VIGIL and ADMIN_TOKEN are set, curl passes on 2xx", async () => {
		const blocks = shBlocks(md(sh('answer=$(curl -s -H "authorization: Bearer $ADMIN_TOKEN" "$VIGIL/ok")'), sh('test "$answer" = \'{"ok":true}\'')));
		expect(await runSession(blocks, options)).toEqual({ passed: 2 });
	});

	it("exports only VIGIL and ADMIN_TOKEN of its own, and none of the caller's other variables", async () => {
		process.env.VIGIL_DOCS_LEAK = "from the developer's shell";
		try {
			const blocks = shBlocks(md(sh('test -z "$(printenv VIGIL_DOCS_LEAK)"'), sh('test "$(env | grep -c -e ^VIGIL= -e ^ADMIN_TOKEN=)" = 2')));
			expect(await runSession(blocks, options)).toEqual({ passed: 2 });
		} finally {
			delete process.env.VIGIL_DOCS_LEAK;
		}
	});

	it("fails the block whose curl gets a 4xx, shows the body, and runs nothing after it", async () => {
		const text = md(sh("echo first"), sh('curl -s "$VIGIL/missing"\necho not reached'), sh("echo never"));
		const blocks = shBlocks(text);
		const result = await runSession(blocks, options);
		expect(result.passed).toBe(1);
		expect(result.failure?.index).toBe(1);
		expect(result.failure?.reason).toBe("exit status 22");
		expect(result.failure?.output).toContain('{"title":"Not found","status":404}');
		expect(result.failure?.output).toContain("curl got an HTTP status of 400 or more: curl -s http://127.0.0.1");
		expect(result.failure?.output).not.toContain("not reached");
		const report = failureReport("docs/example.md", blocks, result, "");
		expect(report).toContain('✗ docs/example.md:8: the block starting `curl -s "$VIGIL/missing"` failed (exit status 22).');
		expect(report).toContain("1 of 3 blocks passed before it; the 1 after it did not run");
	});

	it("makes the README's setup block harmless: VIGIL is the instance's again, ADMIN_TOKEN comes from its .dev.vars", async () => {
		const setup = "export VIGIL=http://localhost:8787\nexport ADMIN_TOKEN=$(sed -n 's/^ADMIN_TOKEN=//p' .dev.vars)";
		const blocks = shBlocks(md(sh(setup), sh('curl -s -H "authorization: Bearer $ADMIN_TOKEN" "$VIGIL/ok"')));
		expect(await runSession(blocks, options)).toEqual({ passed: 2 });
	});

	it("fails a block that leaves ADMIN_TOKEN set to something else", async () => {
		const result = await runSession(shBlocks(sh("export ADMIN_TOKEN=$(sed -n 's/^TOKEN=//p' .dev.vars)")), options);
		expect(result.failure?.output).toContain("left ADMIN_TOKEN set to something other than the instance's token");
	});

	it("starts each file fresh", async () => {
		await runSession(shBlocks(sh("carried=yes")), options);
		const result = await runSession(shBlocks(sh('echo "$carried"')), options);
		expect(result.failure?.output).toContain("carried: unbound variable");
	});

	it("ends with its last block, stopping what a block left running in the background", async () => {
		const started = Date.now();
		expect(await runSession(shBlocks(sh("sleep 30 &")), options)).toEqual({ passed: 1 });
		expect(Date.now() - started).toBeLessThan(5_000);
	});

	it("fails on a syntax error, a failing pipe stage, and a block that runs too long", async () => {
		expect((await runSession(shBlocks(sh('echo "unterminated')), options)).failure?.reason).toBe("exit status 2");
		expect((await runSession(shBlocks(sh("false | cat")), options)).failure?.reason).toBe("exit status 1");
		const slow = await runSession(shBlocks(sh("sleep 5")), { ...options, blockTimeoutMs: 300 });
		expect(slow.failure?.reason).toBe("did not finish within 0.3 s");
	});
});
