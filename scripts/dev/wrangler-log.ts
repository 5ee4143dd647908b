/**
 * What `npm start` shows of wrangler's output. wrangler dev narrates its own start (build, bindings
 * table, "Ready on", one line per request); npm start says the same things once, in its own
 * summary, so those lines are dropped here by exact pattern. Each sent email becomes one line (to
 * whom, subject). Every line that matches no pattern is printed unchanged: an unknown line may be
 * the only sign of a real failure.
 */
import { stripVTControlCharacters } from "node:util";

/** One message the send_email binding accepted, as wrangler logged it. */
export interface SentMail {
	to: string;
	subject: string;
}

/** Lines npm start's own summary replaces (matched on the text without colour codes). */
const DROPPED: readonly RegExp[] = [
	/^$/,
	/^\[custom build\] Running: /,
	/^Using (secrets|vars) defined in \.dev\.vars$/,
	/^Your Worker has access to the following bindings:$/,
	/^Binding\s+Resource\s+Mode$/,
	/^env\.\w+ \(.*\)\s+.+\s+(local|remote)$/,
	/^⎔ Starting local server\.\.\.$/,
	/^\[wrangler:info\] Ready on http:\/\/\S+$/,
];

// A request wrangler answered: "[wrangler:info] GET /healthz 200 OK (12ms)".
const REQUEST = /^\[wrangler:info\] [A-Z]+ \S+ (\d{3}) /;
// The send_email binding's log of a builder-form message: this line, then From/To/Cc/Bcc/Subject,
// a blank line, and one line per stored part (Text:, HTML:, Attachment (…):).
const MAIL_START = /^\[wrangler:info\] send_email binding called with MessageBuilder:$/;
const MAIL_HEADER = /^(From|To|Cc|Bcc|Subject): (.*)$/;
const MAIL_PART = /^(Text: |HTML: |Attachment \(|$)/;

/**
 * Filters one stream of wrangler's output, line by line. `print` gets the lines to show as they
 * came (colours kept); `mail` gets each sent message; a request's line is shown when
 * `showRequest` says so for its status.
 */
export class WranglerLog {
	// The raw lines of a send_email entry whose Subject has not come yet.
	#entry: string[] | null = null;
	#to = "";
	// After the Subject: the entry's blank line and stored parts, which follow it.
	#inParts = false;

	constructor(
		private readonly print: (line: string) => void,
		private readonly mail: (sent: SentMail) => void,
		private readonly showRequest: (status: number) => boolean,
	) {}

	/** Takes one line of output, without its newline; false when it was held back (dropped or summarised). */
	line(raw: string): boolean {
		const text = stripVTControlCharacters(raw).trimEnd();
		if (MAIL_START.test(text)) {
			this.end();
			this.#entry = [raw];
			this.#to = "";
			return false;
		}
		if (this.#entry) {
			const header = MAIL_HEADER.exec(text);
			if (header) {
				this.#entry.push(raw);
				if (header[1] === "To") this.#to = header[2] ?? "";
				if (header[1] === "Subject") {
					this.mail({ to: this.#to, subject: header[2] ?? "" });
					this.#entry = null;
					this.#inParts = true;
				}
				return false;
			}
			this.end();
		} else if (this.#inParts) {
			if (MAIL_PART.test(text)) return false;
			this.#inParts = false;
		}
		if (DROPPED.some((re) => re.test(text))) return false;
		const request = REQUEST.exec(text);
		if (request && !this.showRequest(Number(request[1]))) return false;
		this.print(raw);
		return true;
	}

	/** Ends the stream: a send_email entry cut short is printed as wrangler wrote it, not hidden. */
	end(): void {
		for (const raw of this.#entry ?? []) this.print(raw);
		this.#entry = null;
		this.#inParts = false;
	}
}

/** Splits a stream's chunks into lines for `onLine`, keeping a partial last line until it ends. */
export function lineSplitter(onLine: (line: string) => void): { write(chunk: Buffer | string): void; end(): void } {
	let rest = "";
	return {
		write(chunk) {
			const lines = (rest + chunk.toString()).split("\n");
			rest = lines.pop() ?? "";
			for (const line of lines) onLine(line.replace(/\r$/, ""));
		},
		end() {
			if (rest) onLine(rest);
			rest = "";
		},
	};
}
