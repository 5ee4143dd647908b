import { AppError } from "../errors";
import { secretKeyBytes, toBase64 } from "./secrets";

/** Standard Webhooks: messages older or newer than this are refused (replay window). */
export const TIMESTAMP_TOLERANCE_S = 5 * 60;
const MAX_SIGNATURES = 10;

const encoder = new TextEncoder();

export interface WebhookHeaders {
	id: string | undefined;
	timestamp: string | undefined;
	signature: string | undefined;
}

const unauthorized = (detail: string) => new AppError("unauthorized", detail);

/** HMAC-SHA256 of `id.timestamp.body` under a `whsec_` secret, as `v1,<base64>`. */
export async function signPayload(secret: string, id: string, timestamp: number, body: string): Promise<string> {
	const key = await crypto.subtle.importKey("raw", secretKeyBytes(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
	const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(`${id}.${timestamp}.${body}`));
	return `v1,${toBase64(new Uint8Array(mac))}`;
}

/** Constant-time comparison of two signature strings (digests first, so lengths leak nothing). */
async function sameSignature(a: string, b: string): Promise<boolean> {
	const [da, db] = await Promise.all([crypto.subtle.digest("SHA-256", encoder.encode(a)), crypto.subtle.digest("SHA-256", encoder.encode(b))]);
	return crypto.subtle.timingSafeEqual(da, db);
}

/**
 * Verifies a Standard Webhooks message against every currently valid secret (rotation keeps two).
 * Checks the headers, the ±5 minute window, then each `v1,` signature in constant time. Throws 401.
 */
export async function verifyWebhook(secrets: readonly string[], headers: WebhookHeaders, body: string, now: Date): Promise<{ id: string; timestamp: number }> {
	const { id, timestamp, signature } = headers;
	if (!id || !timestamp || !signature) throw unauthorized("The webhook-id, webhook-timestamp and webhook-signature headers are required.");
	if (id.length > 256 || /[\s.]/.test(id)) throw unauthorized("The webhook-id header is not a valid message id.");
	if (!/^\d{1,12}$/.test(timestamp)) throw unauthorized("The webhook-timestamp header must be integer seconds since the epoch.");
	const ts = Number(timestamp);
	const skew = Math.floor(now.getTime() / 1000) - ts;
	if (skew > TIMESTAMP_TOLERANCE_S) throw unauthorized("The message timestamp is too old.");
	if (skew < -TIMESTAMP_TOLERANCE_S) throw unauthorized("The message timestamp is too far in the future.");

	const offered = signature
		.split(" ")
		.filter((s) => s.startsWith("v1,"))
		.slice(0, MAX_SIGNATURES);
	if (offered.length === 0) throw unauthorized("No v1 signature in webhook-signature.");
	for (const secret of secrets) {
		const expected = await signPayload(secret, id, ts, body);
		// Compare against every offered signature, no early exit per secret, to keep timing flat.
		const matches = await Promise.all(offered.map((o) => sameSignature(o, expected)));
		if (matches.includes(true)) return { id, timestamp: ts };
	}
	throw unauthorized("No signature matches this source's secret.");
}

/** SHA-256 of the raw body, hex: tells a replay (same body) from a reused id (different body). */
export async function bodyDigest(body: string): Promise<string> {
	const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(body)));
	return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}
