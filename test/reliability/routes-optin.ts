// The security-matrix rows for subscribing from a page (see routes.ts for what a row means).
import { env } from "cloudflare:test";
import { requestOptIn } from "../../worker/subscribers/optin";
import { db } from "../support/db";
import { clientIp, insertPage, uniqueEmail } from "../support/pages";
import type { RouteRow } from "./routes";

/** A subscription request waiting for its confirmation; its token is what the link carries. */
async function pendingToken(): Promise<string> {
	const token = await requestOptIn(db, await insertPage(), uniqueEmail("matrix"), new Date());
	if (!token) throw new Error("fixture opt-in: no token");
	return token;
}

const subscribersPrint = () => env.DB.prepare("SELECT count(*) AS n, (SELECT count(*) FROM pending_subscriptions) AS p FROM subscribers").first();

// Anyone may post the form (each caller from a client address of its own, so the per-client
// limit never answers first); the link is the credential for confirming, bearer or not.
export const OPTIN_ROUTES: RouteRow[] = [
	{
		method: "POST",
		path: "/p/{slug}/subscribe",
		access: "public",
		ok: 202,
		prepare: async () => ({
			path: `/p/${(await insertPage()).slug}/subscribe`,
			json: { email: uniqueEmail("matrix") },
			headers: { "cf-connecting-ip": clientIp() },
		}),
	},
	{ method: "GET", path: "/confirm/{token}", access: "public", ok: 200, prepare: async () => ({ path: `/confirm/${await pendingToken()}` }) },
	{
		method: "POST",
		path: "/confirm/{token}",
		access: "public",
		ok: 200,
		fingerprint: subscribersPrint,
		prepare: async () => ({ path: `/confirm/${await pendingToken()}` }),
	},
];
