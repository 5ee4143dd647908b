import type { FC } from "hono/jsx";
import { SmallPage } from "../http/small-page";
import { type Language, rich, t } from "../i18n";

/** GET /unsubscribe/:token: asks before acting, because mail scanners follow links. */
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
		<SmallPage nonce={nonce} lang={lang} title={t(lang, "unsubscribe.title")} heading={t(lang, "unsubscribe.heading")}>
			{done ? (
				<p>{rich(lang, "unsubscribe.done", { email: address })}</p>
			) : (
				<form method="post" action={action}>
					<p>{rich(lang, "unsubscribe.ask", { email: address })}</p>
					<input type="hidden" name="List-Unsubscribe" value="One-Click" />
					<button type="submit">{t(lang, "unsubscribe.button")}</button>
				</form>
			)}
		</SmallPage>
	);
};
