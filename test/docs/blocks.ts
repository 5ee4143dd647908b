/** A fenced code block of a Markdown file. */
export interface Block {
	/** The first word of the info string: "sh", "console", "json", or "" when there is none. */
	lang: string;
	/** 1-based line number of the block's first line of code, in its file. */
	line: number;
	code: string;
}

/** Info strings the docs' convention gives a meaning: `sh` runs, `console` and `text` are shown. */
export const RUN = "sh";
const SHELL_LIKE = new Set(["bash", "shell", "zsh", "shell-session", "shellsession"]);

/**
 * The fenced code blocks of a Markdown text, in order. Fences are CommonMark's: three or more
 * backticks or tildes, closed by a run of the same character at least as long; a fence indented
 * inside a list item loses that indentation from its lines; an unclosed fence runs to the end.
 */
export function fencedBlocks(markdown: string): Block[] {
	const blocks: Block[] = [];
	let open: { fence: string; indent: number; lang: string; line: number; body: string[] } | null = null;
	const lines = markdown.split("\n");
	for (const [i, raw] of lines.entries()) {
		const line = raw.replace(/\r$/, "");
		if (!open) {
			const m = /^( *)(`{3,}|~{3,})\s*(.*)$/.exec(line);
			// A backtick fence's info string cannot itself hold a backtick (that is inline code).
			if (m && !(m[2]?.startsWith("`") && m[3]?.includes("`"))) {
				open = { fence: m[2] ?? "", indent: m[1]?.length ?? 0, lang: (m[3] ?? "").trim().split(/\s+/)[0] ?? "", line: i + 2, body: [] };
			}
			continue;
		}
		const close = /^ *(`{3,}|~{3,})\s*$/.exec(line)?.[1] ?? "";
		if (close[0] === open.fence[0] && close.length >= open.fence.length) {
			blocks.push({ lang: open.lang, line: open.line, code: open.body.join("\n") });
			open = null;
			continue;
		}
		open.body.push(line.replace(new RegExp(`^ {0,${open.indent}}`), ""));
	}
	if (open) blocks.push({ lang: open.lang, line: open.line, code: open.body.join("\n") });
	return blocks;
}

// Commands a docs session must not run: a second server (on 8787, beside the instance), the tests
// themselves (which would run the docs again), a reinstall, a deploy, a login, a 3-minute bench.
const CANNOT_RUN = /(?:^|[;&|(]\s*)((?:npx )?(?:npm (?:start|test|ci|install|run (?:deploy|bench|test)\S*)|wrangler (?:dev|deploy|login)))\b/m;

/** The command in an `sh` block that cannot run in a docs session (it belongs in a console block), or null. */
export function cannotRun(block: Block): string | null {
	return CANNOT_RUN.exec(block.code)?.[1] ?? null;
}

/** A block fenced as a shell language other than `sh`: shown, not run, and probably meant to run. */
export function looksMeantToRun(block: Block): boolean {
	return SHELL_LIKE.has(block.lang);
}

/** The block's first non-blank line and its line number in the file, to name the block in messages. */
export function firstLine(block: Block): { text: string; line: number } {
	const lines = block.code.split("\n");
	const at = Math.max(
		0,
		lines.findIndex((l) => l.trim() !== ""),
	);
	return { text: lines[at] ?? "", line: block.line + at };
}
