import { type Language, langQuery } from "../i18n";

/**
 * Acknowledge links: `/ack/<alert id>.<signature>`, where the signature is HMAC-SHA256 of the
 * alert id under a key derived (HKDF) from SECRETS_KEY. Nothing is stored: every alert's link is
 * unguessable without the key, and it expires with the alert's due date because acknowledging
 * checks the milestone still falls due then (acks.ts). Deriving the key keeps one secret to
 * manage; rotating SECRETS_KEY invalidates the links already sent (they answer 404).
 */

const encoder = new TextEncoder();
const INFO = encoder.encode("vigil ack links v1");
const keys = new Map<string, Promise<CryptoKey | null>>();

function base64url(bytes: Uint8Array): string {
	let s = "";
	for (const b of bytes) s += String.fromCharCode(b);
	return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64url(text: string): Uint8Array | null {
	try {
		const s = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
		return Uint8Array.from(s, (c) => c.charCodeAt(0));
	} catch {
		return null;
	}
}

/** The HMAC key for ack links, or null when SECRETS_KEY is missing or not 32 bytes of base64 (then no link is made). */
function linkKey(secretsKey: string | null): Promise<CryptoKey | null> {
	if (!secretsKey) return Promise.resolve(null);
	let key = keys.get(secretsKey);
	if (!key) {
		key = (async () => {
			const raw = fromBase64url(secretsKey.replace(/=+$/, ""));
			if (raw?.length !== 32) return null;
			const master = await crypto.subtle.importKey("raw", raw, "HKDF", false, ["deriveKey"]);
			return crypto.subtle.deriveKey(
				{ name: "HKDF", hash: "SHA-256", salt: new Uint8Array(), info: INFO },
				master,
				{ name: "HMAC", hash: "SHA-256", length: 256 },
				false,
				["sign", "verify"],
			);
		})();
		keys.set(secretsKey, key);
	}
	return key;
}

const signed = (alertId: number) => encoder.encode(`ack:${alertId}`);

/** The token of one alert's ack link, or null when SECRETS_KEY cannot make one. */
export async function ackToken(secretsKey: string | null, alertId: number): Promise<string | null> {
	const key = await linkKey(secretsKey);
	if (!key) return null;
	const signature = new Uint8Array(await crypto.subtle.sign("HMAC", key, signed(alertId)));
	return `${alertId}.${base64url(signature)}`;
}

/** The alert id a token was made for, or null when it was not made with this key (checked in constant time). */
export async function readAckToken(secretsKey: string | null, token: string): Promise<number | null> {
	const match = /^([1-9][0-9]{0,15})\.([A-Za-z0-9_-]{43})$/.exec(token);
	const key = await linkKey(secretsKey);
	if (!match?.[1] || !match[2] || !key) return null;
	const id = Number(match[1]);
	const signature = fromBase64url(match[2]);
	if (!signature || !Number.isSafeInteger(id)) return null;
	return (await crypto.subtle.verify("HMAC", key, signature, signed(id))) ? id : null;
}

/**
 * The page that asks before acknowledging (GET) and acknowledges (POST); for emails and channel
 * payloads alike. It speaks the language of the message that carries it (English needs no ?lang=).
 */
export const ackUrl = (appUrl: string, token: string, language: Language = "en") => `${appUrl}/ack/${token}${langQuery(language)}`;

/** The ack link of one alert, in its recipient's language, or null when SECRETS_KEY cannot make one. */
export async function ackLink(appUrl: string, secretsKey: string | null, alertId: number, language: Language): Promise<string | null> {
	const token = await ackToken(secretsKey, alertId);
	return token ? ackUrl(appUrl, token, language) : null;
}
