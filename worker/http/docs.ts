import type { OpenAPIHono } from "@hono/zod-openapi";
import { Scalar } from "@scalar/hono-api-reference";
import { createMiddleware } from "hono/factory";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "../env";
import { AppError } from "./errors";

/**
 * The pinned version of Scalar's API reference (@scalar/api-reference, its standalone browser
 * build), vendored as assets/docs/scalar-api-reference-<version>.js by scripts/vendor-scalar.sh.
 */
const SCALAR_VERSION = "1.76.0";
const SCALAR_SCRIPT = `/docs/scalar-api-reference-${SCALAR_VERSION}.js`;

async function sha256Base64(text: string): Promise<string> {
	const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
	return btoa(String.fromCharCode(...new Uint8Array(digest)));
}

/**
 * Scripts come only from this Worker: Scalar's, served below, and its inline bootstrap, which
 * cannot carry a nonce and is allowed by its SHA-256 hash (computed from the page as served, so
 * it follows Scalar's markup). Scalar's UI sets inline styles, hence the one 'unsafe-inline',
 * for styles only. Its fonts are the system's (withDefaultFonts: false): nothing else to load.
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
			`script-src 'self' ${hashes.join(" ")}`.trim(),
			"style-src 'self' 'unsafe-inline'",
			"font-src 'self' data:",
			"img-src 'self' data:",
			"connect-src 'self'",
			"base-uri 'none'",
			"form-action 'none'",
			"frame-ancestors 'none'",
		].join("; "),
	);
});

/**
 * Scalar's page as served names no language (its <html> has no lang): screen readers would guess.
 * Its grey small text and code colours miss WCAG AA (4.5:1) in its default theme; these
 * overrides, found by the browser test's axe-core audit, darken them in light mode and lighten
 * them in dark mode.
 */
const DOCS_CSS = [
	".light-mode{--scalar-color-2:#595959;--scalar-color-3:#636363;--scalar-color-green:#00734a;--scalar-color-blue:#1a4fd6}",
	".dark-mode{--scalar-color-2:#b4b4b4;--scalar-color-3:#a8a8a8;--scalar-color-blue:#8fa6ff}",
	// Two buttons of each request card's footer, grey on grey in both modes.
	// (specific enough to win over Scalar's scoped rules).
	".request-card-footer .generate-sdk-button.generate-sdk-button--footer{color:var(--scalar-color-1)}",
	".agent-button-container .ask-agent-scalar-input-label.ask-agent-scalar-input-label{color:#fff}",
].join("\n");

const docsLang = createMiddleware<AppEnv>(async (c, next) => {
	await next();
	if (!c.res.headers.get("content-type")?.startsWith("text/html")) return;
	const html = (await c.res.text()).replace(/<html>/i, '<html lang="en">');
	c.res = new Response(html, c.res);
});

/**
 * GET /docs, Scalar's reference of /openapi.json, and GET /docs/scalar-api-reference-<version>.js,
 * its script, from the Worker's static assets: no CDN, and not in the Worker bundle. The file
 * name carries the version, so browsers may keep it for a year.
 */
export function mountDocs(app: OpenAPIHono<AppEnv>) {
	app.get(
		"/docs",
		secureHeaders({ referrerPolicy: "no-referrer", xFrameOptions: "DENY" }),
		docsCsp,
		docsLang,
		Scalar({ url: "/openapi.json", pageTitle: "Vigil API", cdn: SCALAR_SCRIPT, withDefaultFonts: false, telemetry: false, customCss: DOCS_CSS }),
	);
	app.get(SCALAR_SCRIPT, async (c) => {
		const asset = await c.env.ASSETS.fetch(c.req.raw);
		if (asset.status !== 200 && asset.status !== 304) throw new AppError("not_found", `Nothing at GET ${SCALAR_SCRIPT}.`);
		const res = new Response(asset.body, asset);
		res.headers.set("cache-control", "public, max-age=31536000, immutable");
		return res;
	});
}
