import { fromBase64, secretKeyBytes, toBase64 } from "../../sources";
import { type RefusalReason, Refused } from "./refusal";

/** Standard Webhooks: messages older or newer than this are refused (replay window). */
export const TIMESTAMP_TOLERANCE_S = 5 * 60;
const MAX_SIGNATURES = 10;
/** An HMAC-SHA256 is 32 bytes. */
const MAC_BYTES = 32;

const encoder = new TextEncoder();

export interface WebhookHeaders {
	id: string | undefined;
	timestamp: string | undefined;
	signature: string | undefined;
}

/** A 401 refusal, with the reason its log entry gives. */
export const unauthorized = (reason: RefusalReason, detail: string) => new Refused(reason, "unauthorized", detail);

/** What every message not signed with a secret of the slug's source hears, whether or not the source exists. */
export const NO_MATCH = "No signature matches this source's secret.";

let decoy: string | undefined;

/** A secret no source has, drawn once per isolate: messages to unknown slugs are checked against it, as long as against a real one. */
export function decoySecret(): string {
	decoy ??= `whsec_${toBase64(crypto.getRandomValues(new Uint8Array(24)))}`;
	return decoy;
}

/** Imported HMAC keys by secret: importing costs as much as signing a small message. Few sources, few keys. */
const hmacKeys = new Map<string, Promise<CryptoKey>>();
const MAX_KEYS = 2_000;

function hmacKey(secret: string): Promise<CryptoKey> {
	let key = hmacKeys.get(secret);
	if (!key) {
		if (hmacKeys.size >= MAX_KEYS) hmacKeys.clear();
		key = crypto.subtle.importKey("raw", secretKeyBytes(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
		hmacKeys.set(secret, key);
		key.catch(() => hmacKeys.delete(secret));
	}
	return key;
}

/** The raw HMAC-SHA256 of `id.timestamp.body` under a `whsec_` secret. */
async function mac(secret: string, id: string, timestamp: number, body: string): Promise<Uint8Array> {
	return new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(secret), encoder.encode(`${id}.${timestamp}.${body}`)));
}

/** HMAC-SHA256 of `id.timestamp.body` under a `whsec_` secret, as `v1,<base64>`. */
export async function signPayload(secret: string, id: string, timestamp: number, body: string): Promise<string> {
	return `v1,${toBase64(await mac(secret, id, timestamp, body))}`;
}

/** An offered `v1,<base64>` signature as MAC bytes, or null if it cannot be one (not base64, wrong length). */
function offeredMac(signature: string): Uint8Array | null {
	try {
		const bytes = fromBase64(signature.slice(3));
		return bytes.length === MAC_BYTES ? bytes : null;
	} catch {
		return null;
	}
}

/**
 * Verifies a Standard Webhooks message against every currently valid secret (rotation keeps two).
 * Checks the headers, the ±5 minute window, then each `v1,` signature in constant time. Throws 401.
 */
export async function verifyWebhook(secrets: readonly string[], headers: WebhookHeaders, body: string, now: Date): Promise<{ id: string; timestamp: number }> {
	const { id, timestamp, signature } = headers;
	if (!id || !timestamp || !signature) throw unauthorized("bad_headers", "The webhook-id, webhook-timestamp and webhook-signature headers are required.");
	if (id.length > 256 || /[\s.]/.test(id)) throw unauthorized("bad_headers", "The webhook-id header is not a valid message id.");
	if (!/^\d{1,12}$/.test(timestamp)) throw unauthorized("bad_headers", "The webhook-timestamp header must be integer seconds since the epoch.");
	const ts = Number(timestamp);
	const skew = Math.floor(now.getTime() / 1000) - ts;
	if (skew > TIMESTAMP_TOLERANCE_S) throw unauthorized("stale_timestamp", "The message timestamp is too old.");
	if (skew < -TIMESTAMP_TOLERANCE_S) throw unauthorized("stale_timestamp", "The message timestamp is too far in the future.");

	const v1 = signature
		.split(" ")
		.filter((s) => s.startsWith("v1,"))
		.slice(0, MAX_SIGNATURES);
	if (v1.length === 0) throw unauthorized("bad_headers", "No v1 signature in webhook-signature.");
	const offered = v1.map(offeredMac).filter((m): m is Uint8Array => m !== null);
	for (const secret of secrets) {
		const expected = await mac(secret, id, ts, body);
		// Constant time over equal-length MACs, and no early exit per secret, to keep timing flat.
		const matches = offered.map((o) => crypto.subtle.timingSafeEqual(o, expected));
		if (matches.includes(true)) return { id, timestamp: ts };
	}
	throw unauthorized("bad_signature", NO_MATCH);
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

/** SHA-256 of the raw body, hex: tells a replay (same body) from a reused id (different body). */
export async function bodyDigest(body: string): Promise<string> {
	let hex = "";
	for (const b of new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(body)))) hex += HEX[b];
	return hex;
}
