import { createMiddleware } from "hono/factory";
import { NONCE, secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "../env";

/** Adds `field` to the response's Vary unless it is there already. */
function addVary(headers: Headers, field: string) {
	const present = (headers.get("vary") ?? "").split(",").map((v) => v.trim().toLowerCase());
	if (!present.includes(field.toLowerCase()) && !present.includes("*")) headers.append("vary", field);
}

/** The same Cache-Control, but for the client's own cache only; no policy at all becomes no-store. */
function privately(cacheControl: string | null): string {
	if (!cacheControl) return "no-store";
	const kept = cacheControl
		.split(",")
		.map((d) => d.trim())
		.filter((d) => d !== "" && !/^(public|private|s-maxage=.*|proxy-revalidate)$/i.test(d));
	return kept.some((d) => /^no-store$/i.test(d)) ? kept.join(", ") : ["private", ...kept].join(", ");
}

/**
 * Headers for every response, whoever answered (a route, the body rules, a 404, an error):
 * `nosniff`, and a cache policy. An answer to an authenticated request (one that carries
 * Authorization, or any request once READ_TOKEN closes reads) is never for a shared cache: a
 * route's `public` becomes `private`, and no policy becomes `no-store`. A route that answers
 * `public` to anonymous readers varies on Authorization, so a cache keeps the variants apart.
 */
export const responseHeaders = createMiddleware<AppEnv>(async (c, next) => {
	await next();
	const headers = c.res.headers;
	headers.set("x-content-type-options", "nosniff");
	const cacheControl = headers.get("cache-control");
	if (cacheControl && /(^|,)\s*public\s*(,|$)/i.test(cacheControl)) addVary(headers, "Authorization");
	if (c.req.header("authorization") !== undefined || c.get("config").readToken !== null) headers.set("cache-control", privately(cacheControl));
});

/** Our HTML pages' CSP; `formAction` is where their forms may post ('none' without a form). */
const htmlPageHeaders = (formAction: string) =>
	secureHeaders({
		contentSecurityPolicy: {
			defaultSrc: ["'none'"],
			scriptSrc: [NONCE],
			styleSrc: [NONCE],
			imgSrc: ["data:"],
			baseUri: ["'none'"],
			formAction: [formAction],
			frameAncestors: ["'none'"],
		},
		xFrameOptions: "DENY",
		crossOriginEmbedderPolicy: true,
		referrerPolicy: "no-referrer",
		permissionsPolicy: { camera: [], microphone: [], geolocation: [] },
	});

/**
 * Our own HTML pages: nothing loads from anywhere, and the inline <style> and <script> run only
 * because they carry this response's nonce. The favicon is an inline data: SVG; nothing frames them.
 */
export const pageHeaders = htmlPageHeaders("'none'");

/** The unsubscribe page: the same, and its one form posts back to this origin. */
export const formPageHeaders = htmlPageHeaders("'self'");

/** The nonce pageHeaders made for this response, for the page's inline <style> and <script>. */
export const nonceOf = (c: { get(key: "secureHeadersNonce"): string | undefined }) => c.get("secureHeadersNonce") ?? "";
