import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv, Config } from "../env";
import { AppError } from "./errors";

const encoder = new TextEncoder();

/** Constant-time string equality: both sides are hashed first so lengths leak nothing either. */
export async function timingSafeEqualText(a: string, b: string): Promise<boolean> {
	const [da, db] = await Promise.all([crypto.subtle.digest("SHA-256", encoder.encode(a)), crypto.subtle.digest("SHA-256", encoder.encode(b))]);
	return crypto.subtle.timingSafeEqual(da, db);
}

function bearer(header: string | undefined): string | null {
	const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
	return m?.[1] ?? null;
}

const unauthorized = (detail: string) => new AppError("unauthorized", detail, { headers: { "www-authenticate": 'Bearer realm="vigil"' } });

/** Writes: `Authorization: Bearer <ADMIN_TOKEN>`, or 401. With no token configured, nobody writes. */
export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
	const { adminToken } = c.get("config");
	const token = bearer(c.req.header("authorization"));
	if (!token) throw unauthorized("This endpoint needs the admin bearer token.");
	if (!adminToken || !(await timingSafeEqualText(token, adminToken))) throw unauthorized("The bearer token is not valid here.");
	await next();
});

/** Whether `token` is the read token (when one is set) or the admin token. */
async function opensReads(token: string, config: Config): Promise<boolean> {
	const { readToken, adminToken } = config;
	const [asReader, asAdmin] = await Promise.all([
		readToken ? timingSafeEqualText(token, readToken) : false,
		adminToken ? timingSafeEqualText(token, adminToken) : false,
	]);
	return asReader || asAdmin;
}

/** Reads of a private resource, or of anything once READ_TOKEN is set: the read or the admin token, or 401. */
async function demandReadToken(c: Context<AppEnv>): Promise<void> {
	const token = bearer(c.req.header("authorization"));
	if (!token)
		throw unauthorized(
			c.get("config").readToken ? "Reads need a bearer token on this instance." : "This is private: it needs the read or the admin bearer token.",
		);
	if (!(await opensReads(token, c.get("config")))) throw unauthorized("The bearer token is not valid here.");
}

/** Reads: open unless READ_TOKEN is set; then the read or the admin token. */
export const requireRead = createMiddleware<AppEnv>(async (c, next) => {
	if (c.get("config").readToken) await demandReadToken(c);
	await next();
});

/**
 * A private resource (a situation page) is read as if READ_TOKEN were set, whatever the setting:
 * with the read token, when there is one, or the admin token; anything else is a 401.
 */
export const requirePrivateRead = (c: Context<AppEnv>): Promise<void> => demandReadToken(c);

/** Whether this caller could read a private resource: a listing shows private items only to them. */
export async function canReadPrivate(c: Context<AppEnv>): Promise<boolean> {
	const token = bearer(c.req.header("authorization"));
	return token !== null && (await opensReads(token, c.get("config")));
}
