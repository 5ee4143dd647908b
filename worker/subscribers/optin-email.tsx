// The confirmation message a page's subscribe form sends. Its words are kept in TEXT, in English
// for now, so that they move into a message catalogue (by the page's language) in one piece.
import type { PageRow } from "../db/schema";

const TEXT = {
	subject: (page: string) => `[Vigil] Confirm your subscription to ${page}`,
	asked: (page: string) => `Someone, probably you, asked to get Vigil alerts for "${page}" at this address.`,
	confirm: "To start them, open this link and press Confirm:",
	button: "Confirm the subscription",
	expires: "The link works for 7 days.",
	ignore: "If you did not ask for this, ignore this message: you will get nothing else from us.",
} as const;

/** A page title as a header may carry it: one line, no control characters, not too long. */
const headerSafe = (s: string, max = 120) => {
	const flat = s
		.replace(/[\p{Cc}\u2028\u2029]+/gu, " ")
		.replace(/\s+/g, " ")
		.trim();
	return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

/** The link in the message: GET shows a button, only its POST confirms (scanners follow links). */
export const confirmUrl = (appUrl: string, token: string) => `${appUrl}/confirm/${token}`;

/**
 * The one message an unconfirmed address gets. No List-Unsubscribe: there is no subscription
 * yet, and ignoring the message is the way to decline. Every value in the HTML is escaped by hono/jsx.
 */
export function confirmationEmail(input: { from: string; to: string; appUrl: string; token: string; page: PageRow }): EmailMessageBuilder {
	const url = confirmUrl(input.appUrl, input.token);
	const text = [TEXT.asked(input.page.title), `${TEXT.confirm}\n${url}`, TEXT.expires, TEXT.ignore].join("\n\n");
	const html = (
		<html lang="en">
			<body>
				<p>{TEXT.asked(input.page.title)}</p>
				<p>{TEXT.confirm}</p>
				<p>
					<a href={url}>{TEXT.button}</a>
				</p>
				<p>{TEXT.expires}</p>
				<p>{TEXT.ignore}</p>
			</body>
		</html>
	);
	return {
		from: input.from,
		to: input.to,
		subject: headerSafe(TEXT.subject(input.page.title)),
		text,
		html: `<!doctype html>${html.toString()}`,
		headers: { "Auto-Submitted": "auto-generated" },
	};
}
