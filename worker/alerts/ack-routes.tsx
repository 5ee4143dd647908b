import { createRoute } from "@hono/zod-openapi";
import type { Db } from "../db/client";
import { AppError } from "../http/errors";
import { formPageHeaders, nonceOf } from "../http/headers";
import { createRouter } from "../http/openapi";
import { htmlContent, LangQuery, pick, TokenParam } from "../http/schemas";
import { readAckToken } from "./ack-link";
import { AckPage } from "./ack-page";
import { acknowledge, ackTarget } from "./acks";
import { ackConfirmPageExample, acknowledgedPageExample } from "./examples";

const tags = ["Alerts"];
const notValid = () => new AppError("not_found", "This acknowledge link is not valid.");

/** The alert a link was made for, as something to acknowledge (404 for a token this Vigil did not sign). */
async function targetOf(db: Db, secretsKey: string | null, token: string) {
	const id = await readAckToken(secretsKey, token);
	if (id === null) throw notValid();
	return ackTarget(db, id);
}

export const ackRouter = createRouter()
	.openapi(
		createRoute({
			method: "get",
			path: "/{token}",
			tags,
			summary: "Acknowledge page (changes nothing)",
			description: "Mail scanners prefetch links, so GET only shows the milestone and a button that POSTs. 410 once the due date it was for changed.",
			middleware: [formPageHeaders] as const,
			request: { params: TokenParam, query: LangQuery },
			responses: { 200: htmlContent("The page that asks", ackConfirmPageExample), ...pick(400, 404, 410, 503) },
		}),
		async (c) => {
			const { token } = c.req.valid("param");
			const { lang } = c.req.valid("query");
			const target = await targetOf(c.get("db"), c.get("config").secretsKey, token);
			c.header("cache-control", "no-store");
			// The form posts back with the language it was shown in, so the answer reads the same.
			const action = `/ack/${encodeURIComponent(token)}${lang ? `?lang=${lang}` : ""}`;
			return c.html(<AckPage milestone={target.milestone} ack={target.ack} action={action} nonce={nonceOf(c)} lang={lang} />, 200);
		},
	)
	.openapi(
		createRoute({
			method: "post",
			path: "/{token}",
			tags,
			summary: "Acknowledge an overdue alert or reminder (idempotent)",
			description:
				"No more reminders for this milestone at this due date, for anyone. Acknowledging again changes nothing and shows the first acknowledgement.",
			middleware: [formPageHeaders] as const,
			request: { params: TokenParam, query: LangQuery },
			responses: { 200: htmlContent("Acknowledged", acknowledgedPageExample), ...pick(400, 404, 410, 503) },
		}),
		async (c) => {
			const { token } = c.req.valid("param");
			const db = c.get("db");
			const target = await targetOf(db, c.get("config").secretsKey, token);
			const { lang } = c.req.valid("query");
			const ack = await acknowledge(db, target, "recipient", c.get("now"));
			c.header("cache-control", "no-store");
			return c.html(<AckPage milestone={target.milestone} ack={ack} action="" nonce={nonceOf(c)} lang={lang} />, 200);
		},
	);
