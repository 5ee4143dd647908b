// The confirmation message a page's subscribe form sends, in the page's language (the subscriber
// it makes gets that language too).
import type { PageRow } from "../db/schema";
import { htmlAttributes, t, translated } from "../i18n";

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
	const lang = input.page.language;
	const page = translated(lang, input.page.title, input.page.titleI18n).text;
	const url = confirmUrl(input.appUrl, input.token);
	const [asked, confirm, expires, ignore] = [t(lang, "optin.asked", { page }), t(lang, "optin.confirm"), t(lang, "optin.expires"), t(lang, "optin.ignore")];
	const text = [asked, `${confirm}\n${url}`, expires, ignore].join("\n\n");
	const attributes = htmlAttributes(lang);
	const html = (
		<html {...attributes}>
			<body {...attributes}>
				<p>{asked}</p>
				<p>{confirm}</p>
				<p>
					<a href={url}>{t(lang, "optin.button")}</a>
				</p>
				<p>{expires}</p>
				<p>{ignore}</p>
			</body>
		</html>
	);
	return {
		from: input.from,
		to: input.to,
		subject: headerSafe(t(lang, "optin.subject", { page })),
		text,
		html: `<!doctype html>${html.toString()}`,
		headers: { "Auto-Submitted": "auto-generated" },
	};
}
