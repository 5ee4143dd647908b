import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
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

/** Reads: open unless READ_TOKEN is set; then the read or the admin token. */
export const requireRead = createMiddleware<AppEnv>(async (c, next) => {
	const { readToken, adminToken } = c.get("config");
	if (readToken) {
		const token = bearer(c.req.header("authorization"));
		if (!token) throw unauthorized("Reads need a bearer token on this instance.");
		const [asReader, asAdmin] = await Promise.all([timingSafeEqualText(token, readToken), adminToken ? timingSafeEqualText(token, adminToken) : false]);
		if (!asReader && !asAdmin) throw unauthorized("The bearer token is not valid here.");
	}
	await next();
});
