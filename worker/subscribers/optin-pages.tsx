// The subscribe form a page shows, and the small pages of the opt-in flow, in the page's language
// (English where no page is known: too many posts, no such page).
import type { Child, FC } from "hono/jsx";
import { SmallPage } from "../http/small-page";
import { type Language, t } from "../i18n";

/**
 * The subscribe form for a page: a plain form that works without JavaScript, loads nothing and
 * has no inline style or script, so it needs no nonce. Ids are per slug: two forms can share a page.
 */
export const SubscribeForm: FC<{ slug: string; lang: Language; email?: string }> = ({ slug, lang, email }) => (
	<form method="post" action={`/p/${encodeURIComponent(slug)}/subscribe`} class="subscribe">
		<label for={`subscribe-${slug}`}>{t(lang, "optin.form_label")}</label>
		<input
			id={`subscribe-${slug}`}
			type="email"
			name="email"
			required
			autocomplete="email"
			maxlength={254}
			value={email}
			aria-describedby={`subscribe-${slug}-hint`}
		/>{" "}
		<button type="submit">{t(lang, "optin.form_button")}</button>
		<p id={`subscribe-${slug}-hint`}>{t(lang, "optin.form_hint")}</p>
	</form>
);

/** One page of the flow: its heading and what to say. */
const Shell: FC<{ nonce: string; lang: Language; children: Child }> = ({ nonce, lang, children }) => (
	<SmallPage nonce={nonce} lang={lang} title={t(lang, "optin.title")} heading={t(lang, "optin.heading")}>
		{children}
	</SmallPage>
);

/** What a form post gets, the same whatever the address's state. */
export const CheckInboxPage: FC<{ nonce: string; lang: Language }> = ({ nonce, lang }) => (
	<Shell nonce={nonce} lang={lang}>
		<p role="status">{t(lang, "optin.check_inbox")}</p>
	</Shell>
);

/** A form post refused before anything was done: a bad address (with the form again), too many posts, no such page. */
export const RefusedPage: FC<{
	nonce: string;
	lang: Language;
	reason: { kind: "bad_email"; slug: string; email: string } | { kind: "rate_limited"; seconds: number } | { kind: "no_page" };
}> = ({ nonce, lang, reason }) => (
	<Shell nonce={nonce} lang={lang}>
		{reason.kind === "bad_email" ? (
			<>
				<p role="alert">{t(lang, "optin.bad_email")}</p>
				<SubscribeForm slug={reason.slug} lang={lang} email={reason.email} />
			</>
		) : (
			<p role="alert">{reason.kind === "rate_limited" ? t(lang, "optin.too_many", { seconds: reason.seconds }) : t(lang, "optin.no_page")}</p>
		)}
	</Shell>
);

/** GET /confirm/:token asks (mail scanners follow links, so it never acts); POST answers with `done`. */
export const ConfirmPage: FC<{ nonce: string; lang: Language; email: string; page: string; action: string; done: boolean }> = ({
	nonce,
	lang,
	email,
	page,
	action,
	done,
}) => (
	<Shell nonce={nonce} lang={lang}>
		{done ? (
			<p role="status">{t(lang, "optin.confirmed", { email, page })}</p>
		) : (
			<form method="post" action={action}>
				<p>{t(lang, "optin.confirm_ask", { email, page })}</p>
				<button type="submit">{t(lang, "optin.confirm_button")}</button>
			</form>
		)}
	</Shell>
);

/** A confirmation link that does not work (unknown, used, expired): the problem's detail, as a page. */
export const LinkProblemPage: FC<{ nonce: string; detail: string }> = ({ nonce, detail }) => (
	<Shell nonce={nonce} lang="en">
		<p role="alert">{detail}</p>
	</Shell>
);
