import { createRoute } from "@hono/zod-openapi";
import { formPageHeaders, nonceOf } from "../http/headers";
import { createRouter } from "../http/openapi";
import { htmlContent, LangQuery, pick, TokenParam } from "../http/schemas";
import { unsubscribeConfirmPageExample, unsubscribedPageExample } from "./examples";
import { findByToken, unsubscribeByToken } from "./queries";
import { UnsubscribePage } from "./unsubscribe-page";

const tags = ["Subscribers"];

export const unsubscribeRouter = createRouter()
	.openapi(
		createRoute({
			method: "get",
			path: "/{token}",
			tags,
			summary: "Confirmation page (changes nothing)",
			description: "Mail scanners prefetch links, so GET only shows a button that POSTs.",
			middleware: [formPageHeaders] as const,
			request: { params: TokenParam, query: LangQuery },
			responses: { 200: htmlContent("The confirmation page", unsubscribeConfirmPageExample), ...pick(400, 404, 503) },
		}),
		async (c) => {
			const { token } = c.req.valid("param");
			const { lang } = c.req.valid("query");
			const row = await findByToken(c.get("db"), token);
			c.header("cache-control", "no-store");
			// The form posts back with the language it was shown in, so the answer reads the same.
			const action = `/unsubscribe/${encodeURIComponent(token)}${lang ? `?lang=${lang}` : ""}`;
			return c.html(
				<UnsubscribePage email={row.email} done={row.unsubscribedAt !== null} action={action} nonce={nonceOf(c)} lang={lang ?? row.language} />,
				200,
			);
		},
	)
	.openapi(
		createRoute({
			method: "post",
			path: "/{token}",
			tags,
			summary: "Unsubscribe (RFC 8058 one-click; idempotent)",
			middleware: [formPageHeaders] as const,
			request: { params: TokenParam, query: LangQuery },
			responses: { 200: htmlContent("Unsubscribed", unsubscribedPageExample), ...pick(400, 404, 503) },
		}),
		async (c) => {
			const { token } = c.req.valid("param");
			const { lang } = c.req.valid("query");
			const row = await unsubscribeByToken(c.get("db"), token, c.get("now"));
			c.header("cache-control", "no-store");
			return c.html(<UnsubscribePage email={row.email} done action="" nonce={nonceOf(c)} lang={lang ?? row.language} />, 200);
		},
	);
