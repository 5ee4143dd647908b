import { createMiddleware } from "hono/factory";
import { NONCE, secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "../env";

/**
 * Our own HTML pages: nothing loads from anywhere, and the one inline <style> and <script>
 * run only because they carry this response's nonce. The favicon is an inline data: SVG.
 */
export const pageHeaders = secureHeaders({
	contentSecurityPolicy: {
		defaultSrc: ["'none'"],
		scriptSrc: [NONCE],
		styleSrc: [NONCE],
		imgSrc: ["data:"],
		baseUri: ["'none'"],
		formAction: ["'none'"],
		frameAncestors: ["'none'"],
	},
	crossOriginEmbedderPolicy: true,
	referrerPolicy: "no-referrer",
	permissionsPolicy: { camera: [], microphone: [], geolocation: [] },
});

/** The nonce pageHeaders made for this response, for the page's inline <style> and <script>. */
export const nonceOf = (c: { get(key: "secureHeadersNonce"): string | undefined }) => c.get("secureHeadersNonce") ?? "";

const SCALAR_CDN = "https://cdn.jsdelivr.net";

async function sha256Base64(text: string): Promise<string> {
	const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
	return btoa(String.fromCharCode(...new Uint8Array(digest)));
}

/**
 * /docs is Scalar's page: its script comes from a CDN and its bootstrap is an inline script we
 * cannot put a nonce on, so that script is allowed by its SHA-256 hash (computed from the page
 * as served, so it follows Scalar's markup). Scalar's UI sets inline styles, hence the one
 * 'unsafe-inline' for styles; scripts stay hash- and host-pinned.
 */
const docsCsp = createMiddleware<AppEnv>(async (c, next) => {
	await next();
	if (!c.res.headers.get("content-type")?.startsWith("text/html")) return;
	const html = await c.res.clone().text();
	const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)].map((m) => m[1] ?? "");
	const hashes = await Promise.all(inline.map(async (body) => `'sha256-${await sha256Base64(body)}'`));
	c.res.headers.set(
		"content-security-policy",
		[
			"default-src 'none'",
			`script-src ${SCALAR_CDN} ${hashes.join(" ")}`.trim(),
			"style-src 'unsafe-inline' https://fonts.scalar.com",
			"font-src https://fonts.scalar.com data:",
			"img-src 'self' data:",
			"connect-src 'self'",
			"base-uri 'none'",
			"form-action 'none'",
			"frame-ancestors 'none'",
		].join("; "),
	);
});

/** The other secure headers for /docs, then its own CSP. */
export const docsHeaders = [secureHeaders({ referrerPolicy: "no-referrer" }), docsCsp] as const;
