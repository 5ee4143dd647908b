import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { PageRow } from "../db/schema";
import type { AppEnv } from "../env";
import { AppError, toAppError } from "../http/errors";
import { formPageHeaders, nonceOf } from "../http/headers";
import { keepable } from "../http/json";
import { createRouter, validationError } from "../http/openapi";
import { htmlContent, pick, problem, Slug, TokenParam } from "../http/schemas";
import { type Language, translated } from "../i18n";
import { logEvent } from "../log";
import { clientKey } from "./client-key";
import { checkInboxPageExample, confirmedPageExample, confirmPageExample } from "./examples";
import { confirmOptIn, findOptIn, publicPage, releaseOptIn, requestOptIn } from "./optin";
import { confirmationEmail } from "./optin-email";
import { CheckInboxPage, ConfirmPage, LinkProblemPage, RefusedPage } from "./optin-pages";
import { SubscribeAccepted, SubscribeRequest } from "./schema";

const tags = ["Subscribers"];
/** The rate-limit binding's period (wrangler.toml: SUBSCRIBE_LIMITER), for Retry-After. */
const RATE_PERIOD_S = 60;
const SUBSCRIBE_BODY_LIMIT = 4 * 1024;
const ACCEPTED = SubscribeAccepted.parse({ message: "If this address can be subscribed, a confirmation link is on its way to it." });

const subscribeRoute = createRoute({
	method: "post",
	path: "/{slug}/subscribe",
	tags,
	summary: "Subscribe to a public page (double opt-in)",
	description:
		"From the page's HTML form (`application/x-www-form-urlencoded`, answered with HTML) or as JSON. The answer is the same whether the address is new, waiting for its confirmation, or subscribed: " +
		"a new or unsubscribed address is mailed a link to `/confirm/{token}` (at most once an hour, valid 7 days), a subscribed one is left as it is. Nothing is mailed to it until it confirms. " +
		`At most 5 posts a minute per client address (429 with Retry-After: ${RATE_PERIOD_S}). A form post gets its refusals (404, 422, 429) as small HTML pages too.`,
	request: {
		params: z.object({ slug: Slug.openapi({ param: { name: "slug", in: "path" }, example: "iraq-after-withdrawal" }) }),
		body: {
			required: true,
			content: { "application/json": { schema: SubscribeRequest }, "application/x-www-form-urlencoded": { schema: SubscribeRequest } },
		},
	},
	responses: {
		202: {
			description: "Accepted, whatever the address's state",
			content: { "application/json": { schema: SubscribeAccepted, example: ACCEPTED }, "text/html": { schema: z.string(), example: checkInboxPageExample } },
		},
		...pick(400, 413, 415, 422),
		404: problem("No public page with this slug (private pages take no subscriptions)", "not_found", 'No public page "iraq-after-withdrawal".'),
		429: problem(
			"Too many posts from this client address; retry after Retry-After seconds",
			"rate_limited",
			`Too many attempts; retry after ${RATE_PERIOD_S} seconds.`,
		),
		...pick(503),
	},
});

const isForm = (c: Context<AppEnv>) => /^(application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i.test(c.req.header("content-type") ?? "");
const isJson = (c: Context<AppEnv>) => /^application\/(?:[\w.+-]+\+)?json\s*(;|$)/i.test(c.req.header("content-type") ?? "");

/** A refusal: problem+json for JSON clients, a small page for the form (a browser without JavaScript shows it). */
function refuse(c: Context<AppEnv>, error: AppError, page: Parameters<typeof RefusedPage>[0]["reason"], lang: Language = "en") {
	if (!isForm(c)) throw error;
	for (const [k, v] of Object.entries(error.headers ?? {})) c.header(k, v);
	return c.html(<RefusedPage nonce={nonceOf(c)} lang={lang} reason={page} />, error.status);
}

/** The address as sent: the form's field or the JSON body (malformed JSON is a 400). */
async function emailField(c: Context<AppEnv>): Promise<unknown> {
	if (isForm(c)) return { email: (await c.req.parseBody()).email };
	try {
		return await c.req.json();
	} catch {
		throw new AppError("bad_request", "The request body is not valid JSON.");
	}
}

/** What happens after the answer is sent, so that its timing is the same for every address. Never logs the address. */
async function optInAfterAnswer(c: Context<AppEnv>, page: PageRow, email: string, now: Date) {
	const db = c.get("db");
	const config = c.get("config");
	let token: string | null = null;
	try {
		token = await requestOptIn(db, page, email, now);
		if (token) await c.env.EMAIL.send(confirmationEmail({ from: config.alertFrom, to: email.toLowerCase(), appUrl: config.appUrl, token, page }));
		logEvent("optin.requested", { page: page.slug, outcome: token ? "confirmation_sent" : "nothing_to_send" });
	} catch (e) {
		if (token) await releaseOptIn(db, token).catch(() => undefined);
		// The code or kind only: a provider's message may name the address.
		const error = e instanceof Error ? ("code" in e && typeof e.code === "string" ? e.code : e.name) : "unknown";
		logEvent("optin.requested", { page: page.slug, outcome: "failed", error });
	}
}

/** POST /p/:slug/subscribe: a plain route, since the form and JSON bodies are read and answered differently (documented via registerPath). */
export const optInRouter = createRouter();
optInRouter.openAPIRegistry.registerPath(subscribeRoute);
optInRouter.post(
	"/:slug/subscribe",
	formPageHeaders,
	bodyLimit({
		maxSize: SUBSCRIBE_BODY_LIMIT,
		onError: () => {
			throw new AppError("payload_too_large", `The request body is larger than ${SUBSCRIBE_BODY_LIMIT / 1024} KiB.`);
		},
	}),
	async (c) => {
		c.header("cache-control", "no-store");
		if (!isForm(c) && !isJson(c)) throw new AppError("unsupported_media_type", "Send the form (application/x-www-form-urlencoded) or JSON.");
		const limiter = c.env.SUBSCRIBE_LIMITER;
		if (limiter && !(await limiter.limit({ key: clientKey(c.req.header("cf-connecting-ip") ?? "unknown") })).success) {
			const error = new AppError("rate_limited", `Too many attempts; retry after ${RATE_PERIOD_S} seconds.`, {
				headers: { "retry-after": String(RATE_PERIOD_S) },
			});
			return refuse(c, error, { kind: "rate_limited", seconds: RATE_PERIOD_S });
		}
		const slug = c.req.param("slug");
		let page: PageRow;
		try {
			page = await publicPage(c.get("db"), slug);
		} catch (e) {
			const error = toAppError(e);
			if (error.code !== "not_found") throw e;
			return refuse(c, error, { kind: "no_page" });
		}
		const sent = await emailField(c);
		const parsed = keepable(SubscribeRequest).safeParse(sent);
		if (!parsed.success) {
			const error = validationError("json", parsed.error);
			const email = typeof (sent as { email?: unknown })?.email === "string" ? (sent as { email: string }).email.slice(0, 254) : "";
			return refuse(c, error, { kind: "bad_email", slug, email }, page.language);
		}
		c.executionCtx.waitUntil(optInAfterAnswer(c, page, parsed.data.email, c.get("now")));
		return isForm(c) ? c.html(<CheckInboxPage nonce={nonceOf(c)} lang={page.language} />, 202) : c.json(ACCEPTED, 202);
	},
);

/** A confirmation link's problem (unknown, used, expired): a page for a browser (it asks for HTML), problem+json for anyone else. */
function linkProblem(c: Context<AppEnv>, e: unknown) {
	const error = toAppError(e);
	if ((error.code !== "not_found" && error.code !== "gone") || !/\btext\/html\b/i.test(c.req.header("accept") ?? "")) throw e;
	return c.html(<LinkProblemPage nonce={nonceOf(c)} detail={error.message} />, error.status);
}

const linkProblems = {
	404: problem(
		"Unknown or already used link (a browser, asking for text/html, gets it as a page)",
		"not_found",
		"This confirmation link is not valid: it may have been used already, or replaced by a newer one.",
	),
	410: problem(
		"Expired link, or the page no longer takes subscriptions (a page for a browser)",
		"gone",
		"This confirmation link has expired: subscribe again from the page.",
	),
};

export const confirmRouter = createRouter()
	.openapi(
		createRoute({
			method: "get",
			path: "/{token}",
			tags,
			summary: "Confirmation page of a subscription (changes nothing)",
			description: "Mail scanners prefetch links, so GET only shows a button that POSTs.",
			middleware: [formPageHeaders] as const,
			request: { params: TokenParam },
			responses: { 200: htmlContent("The confirmation page", confirmPageExample), ...linkProblems, ...pick(400, 503) },
		}),
		async (c) => {
			const { token } = c.req.valid("param");
			c.header("cache-control", "no-store");
			try {
				const { request, page } = await findOptIn(c.get("db"), token, c.get("now"));
				return c.html(
					<ConfirmPage
						nonce={nonceOf(c)}
						lang={page.language}
						email={request.email}
						page={translated(page.language, page.title, page.titleI18n).text}
						action={`/confirm/${encodeURIComponent(token)}`}
						done={false}
					/>,
					200,
				);
			} catch (e) {
				return linkProblem(c, e);
			}
		},
	)
	.openapi(
		createRoute({
			method: "post",
			path: "/{token}",
			tags,
			summary: "Confirm a subscription",
			description:
				"The address becomes a subscriber with the page's tags, zones and language; consent_source `page_double_opt_in`, consent_at now. A subscribed address is left as it is.",
			middleware: [formPageHeaders] as const,
			request: { params: TokenParam },
			responses: { 200: htmlContent("Subscribed", confirmedPageExample), ...linkProblems, ...pick(400, 503) },
		}),
		async (c) => {
			const { token } = c.req.valid("param");
			c.header("cache-control", "no-store");
			try {
				const { email, page } = await confirmOptIn(c.get("db"), token, c.get("now"));
				return c.html(
					<ConfirmPage
						nonce={nonceOf(c)}
						lang={page.language}
						email={email}
						page={translated(page.language, page.title, page.titleI18n).text}
						action=""
						done
					/>,
					200,
				);
			} catch (e) {
				return linkProblem(c, e);
			}
		},
	);
