import type { FC } from "hono/jsx";
import { FONT_STACK, htmlAttributes, type Language, rich, t } from "../i18n";

const css = `body{font:16px/1.5 ${FONT_STACK};max-inline-size:32rem;margin-block:3rem;margin-inline:auto;padding-inline:1rem}button{font:inherit;padding-block:.4rem;padding-inline:1rem}`;

/** GET /unsubscribe/:token: asks before acting, because mail scanners follow links. `nonce` lets its <style> run under the CSP. */
export const UnsubscribePage: FC<{ email: string; done: boolean; action: string; nonce: string; lang?: Language }> = ({
	email,
	done,
	action,
	nonce,
	lang = "en",
}) => {
	// An address is Latin text inside a sentence that may be Arabic: isolated, read left to right.
	const address = (
		<strong>
			<bdi dir="ltr">{email}</bdi>
		</strong>
	);
	return (
		<html {...htmlAttributes(lang)}>
			<head>
				<meta charset="utf-8" />
				<meta name="viewport" content="width=device-width, initial-scale=1" />
				<meta name="robots" content="noindex" />
				<title>{t(lang, "unsubscribe.title")}</title>
				<style nonce={nonce} dangerouslySetInnerHTML={{ __html: css }} />
			</head>
			<body>
				<main>
					<h1>{t(lang, "unsubscribe.heading")}</h1>
					{done ? (
						<p>{rich(lang, "unsubscribe.done", { email: address })}</p>
					) : (
						<form method="post" action={action}>
							<p>{rich(lang, "unsubscribe.ask", { email: address })}</p>
							<input type="hidden" name="List-Unsubscribe" value="One-Click" />
							<button type="submit">{t(lang, "unsubscribe.button")}</button>
						</form>
					)}
				</main>
			</body>
		</html>
	);
};
