// The subscribe form a page shows, and the small pages of the opt-in flow. Their words are kept
// in TEXT, in English for now, so that they move into a message catalogue in one piece.
import type { FC } from "hono/jsx";

const TEXT = {
	title: "Vigil: subscribe",
	heading: "Vigil alerts",
	formLabel: "Email address",
	formButton: "Subscribe",
	formHint: "We send one message to confirm; nothing else until you do.",
	checkInbox: "Check your inbox: if this address can be subscribed, a message with a confirmation link is on its way. The link works for 7 days.",
	badEmail: "That does not look like an email address. Check it and try again.",
	tooMany: (seconds: number) => `Too many attempts from your network. Try again in ${seconds} seconds.`,
	noPage: "There is no public page here to subscribe to.",
	confirmAsk: (email: string, page: string) => `Send Vigil alerts for "${page}" to ${email}?`,
	confirmButton: "Confirm",
	confirmed: (email: string, page: string) => `${email} is subscribed to "${page}". Every email has a link to unsubscribe.`,
} as const;

const css =
	"body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}button,input{font:inherit;padding:.4rem .6rem}label{display:block}";

/**
 * The subscribe form for a page: a plain form that works without JavaScript, loads nothing and
 * has no inline style or script, so it needs no nonce. Ids are per slug: two forms can share a page.
 */
export const SubscribeForm: FC<{ slug: string; email?: string }> = ({ slug, email }) => (
	<form method="post" action={`/p/${encodeURIComponent(slug)}/subscribe`} class="subscribe">
		<label for={`subscribe-${slug}`}>{TEXT.formLabel}</label>
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
		<button type="submit">{TEXT.formButton}</button>
		<p id={`subscribe-${slug}-hint`}>{TEXT.formHint}</p>
	</form>
);

/** One page of the flow: a heading and what to say. `nonce` lets its <style> run under the CSP. */
const Shell: FC<{ nonce: string; children: unknown }> = ({ nonce, children }) => (
	<html lang="en">
		<head>
			<meta charset="utf-8" />
			<meta name="viewport" content="width=device-width, initial-scale=1" />
			<meta name="robots" content="noindex" />
			<title>{TEXT.title}</title>
			<style nonce={nonce}>{css}</style>
		</head>
		<body>
			{/* One main landmark holding everything: screen readers jump to it, and nothing is outside a landmark. */}
			<main>
				<h1>{TEXT.heading}</h1>
				{children}
			</main>
		</body>
	</html>
);

/** What a form post gets, the same whatever the address's state. */
export const CheckInboxPage: FC<{ nonce: string }> = ({ nonce }) => (
	<Shell nonce={nonce}>
		<p role="status">{TEXT.checkInbox}</p>
	</Shell>
);

/** A form post refused before anything was done: a bad address (with the form again), too many posts, no such page. */
export const RefusedPage: FC<{
	nonce: string;
	reason: { kind: "bad_email"; slug: string; email: string } | { kind: "rate_limited"; seconds: number } | { kind: "no_page" };
}> = ({ nonce, reason }) => (
	<Shell nonce={nonce}>
		{reason.kind === "bad_email" ? (
			<>
				<p role="alert">{TEXT.badEmail}</p>
				<SubscribeForm slug={reason.slug} email={reason.email} />
			</>
		) : (
			<p role="alert">{reason.kind === "rate_limited" ? TEXT.tooMany(reason.seconds) : TEXT.noPage}</p>
		)}
	</Shell>
);

/** GET /confirm/:token asks (mail scanners follow links, so it never acts); POST answers with `done`. */
export const ConfirmPage: FC<{ nonce: string; email: string; page: string; action: string; done: boolean }> = ({ nonce, email, page, action, done }) => (
	<Shell nonce={nonce}>
		{done ? (
			<p role="status">{TEXT.confirmed(email, page)}</p>
		) : (
			<form method="post" action={action}>
				<p>{TEXT.confirmAsk(email, page)}</p>
				<button type="submit">{TEXT.confirmButton}</button>
			</form>
		)}
	</Shell>
);

/** A confirmation link that does not work (unknown, used, expired): the problem's detail, as a page. */
export const LinkProblemPage: FC<{ nonce: string; detail: string }> = ({ nonce, detail }) => (
	<Shell nonce={nonce}>
		<p role="alert">{detail}</p>
	</Shell>
);
