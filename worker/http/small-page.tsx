import type { Child, FC } from "hono/jsx";
import { FONT_STACK, htmlAttributes, type Language } from "../i18n";

// Logical properties only, so one stylesheet lays out both directions.
const css = `body{font:16px/1.5 ${FONT_STACK};max-inline-size:32rem;margin-block:3rem;margin-inline:auto;padding-inline:1rem}button,input{font:inherit;padding-block:.4rem;padding-inline:.8rem}label{display:block}`;

/**
 * The frame of the small pages a link from a mail opens (acknowledge, unsubscribe, confirm a
 * subscription): not indexed, one `main` landmark holding the heading and everything else, in
 * `lang` and its direction. `nonce` lets its <style> run under the CSP; hono/jsx escapes every value.
 */
export const SmallPage: FC<{ nonce: string; lang: Language; title: string; heading: string; children?: Child }> = ({
	nonce,
	lang,
	title,
	heading,
	children,
}) => (
	<html {...htmlAttributes(lang)}>
		<head>
			<meta charset="utf-8" />
			<meta name="viewport" content="width=device-width, initial-scale=1" />
			<meta name="robots" content="noindex" />
			<title>{title}</title>
			<style nonce={nonce} dangerouslySetInnerHTML={{ __html: css }} />
		</head>
		<body>
			<main>
				<h1>{heading}</h1>
				{children}
			</main>
		</body>
	</html>
);
