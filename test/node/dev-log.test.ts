import { describe, expect, it } from "vitest";
import { appliedMigrations } from "../../scripts/dev/migrations";
import { lineSplitter, type SentMail, WranglerLog } from "../../scripts/dev/wrangler-log";

// Lines as wrangler 4.156 prints them (colour codes included where it adds them).
const STARTUP = [
	"[custom build] Running: node scripts/build.mjs",
	"Using secrets defined in .dev.vars",
	"Your Worker has access to the following bindings:",
	"Binding                                             Resource                  Mode",
	"env.EMAIL (unrestricted)                            Send Email                local",
	'env.APP_URL ("http://localhost:8796")               Environment Variable      local',
	'env.ADMIN_TOKEN ("(hidden)")                        Environment Variable      local',
	"",
	"⎔ Starting local server...",
	"\u001b[32m[wrangler:info]\u001b[39m Ready on http://localhost:8796",
	"[wrangler:info] GET /healthz 200 OK (4203ms)",
];
const MAIL = [
	"[wrangler:info] send_email binding called with MessageBuilder:",
	"From: vigil@example.org",
	"To: ana@example.org",
	"Subject: [Vigil] Test soon: due in 1 hour 59 minutes",
	"",
	"Text: /tmp/v/.wrangler/tmp/email/miniflare-1/email-text/a@example.org.txt",
	"HTML: /tmp/v/.wrangler/tmp/email/miniflare-1/email-html/a@example.org.html",
	"Attachment (attachment): vigil.ics -> /tmp/v/.wrangler/tmp/email/miniflare-1/email-attachment/a@example.org-1.ics",
];

function run(lines: string[], floor = 400): { printed: string[]; mails: SentMail[] } {
	const printed: string[] = [];
	const mails: SentMail[] = [];
	const log = new WranglerLog(
		(line) => printed.push(line),
		(sent) => mails.push(sent),
		(status) => status >= floor,
	);
	for (const line of lines) log.line(line);
	log.end();
	return { printed, mails };
}

describe("npm start's view of wrangler dev's output", () => {
	it("drops what its own summary says: build, bindings table, Ready, requests below 400", () => {
		expect(run(STARTUP).printed).toEqual([]);
	});

	it("shows requests answered with 4xx and 5xx, and only 5xx while it loads the seed", () => {
		const lines = ["[wrangler:info] POST /api/zones 409 Conflict (94ms)", "[wrangler:info] GET /status 500 Internal Server Error (3ms)"];
		expect(run(lines).printed).toEqual(lines);
		expect(run(lines, 500).printed).toEqual([lines[1]]);
	});

	it("turns each sent email into one event and shows the line after it", () => {
		const { printed, mails } = run([...MAIL, "[wrangler:info] GET /x 404 Not Found (1ms)"]);
		expect(mails).toEqual([{ to: "ana@example.org", subject: "[Vigil] Test soon: due in 1 hour 59 minutes" }]);
		expect(printed).toEqual(["[wrangler:info] GET /x 404 Not Found (1ms)"]);
	});

	it("prints an email entry it does not understand as wrangler wrote it", () => {
		const cut = [...MAIL.slice(0, 3), "something else"];
		const { printed, mails } = run(cut);
		expect(mails).toEqual([]);
		expect(printed).toEqual(cut);
	});

	it("prints every line it does not know, colours kept", () => {
		const lines = [
			"\u001b[31m✘ \u001b[41;31m[\u001b[41;97mERROR\u001b[41;31m]\u001b[0m \u001b[1mAddress already in use (localhost:8796).\u001b[0m",
			"  stack: workerd@383c3f9",
			"Error: getaddrinfo ENOTFOUND example.org",
		];
		expect(run(lines).printed).toEqual(lines);
	});

	it("splits chunks into lines, keeping a partial line until it ends", () => {
		const lines: string[] = [];
		const split = lineSplitter((line) => lines.push(line));
		split.write("one\r\ntw");
		split.write("o\nthr");
		expect(lines).toEqual(["one", "two"]);
		split.end();
		expect(lines).toEqual(["one", "two", "thr"]);
	});
});

describe("the migrations summary", () => {
	it("names each migration once, however many tables wrangler printed", () => {
		const table = (names: string[]) => ["┌──┐", ...names.map((n) => `│ ${n} │ ✅ │`), "└──┘"].join("\n");
		const output = ["Migrations to be applied:", table(["0000_a.sql", "0001_b.sql"]), table(["0000_a.sql", "0001_b.sql"])].join("\n");
		expect(appliedMigrations(output)).toEqual(["0000_a.sql", "0001_b.sql"]);
	});

	it("knows when there was nothing to apply, and when it cannot tell", () => {
		expect(appliedMigrations("✅ No migrations to apply!")).toEqual([]);
		expect(appliedMigrations("something new")).toBeNull();
	});
});
