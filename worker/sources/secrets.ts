import { AppError } from "../http/errors";

/** Webhook secrets as Standard Webhooks writes them: `whsec_` + base64 of the raw key. */
export const SECRET_PREFIX = "whsec_";
const SECRET_BYTES = 32;
const IV_BYTES = 12;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function toBase64(bytes: Uint8Array): string {
	let s = "";
	for (const b of bytes) s += String.fromCharCode(b);
	return btoa(s);
}

export function fromBase64(text: string): Uint8Array {
	const s = atob(text);
	const out = new Uint8Array(s.length);
	for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
	return out;
}

/** A new random webhook secret, shown to the admin once. */
export function generateSecret(): string {
	return SECRET_PREFIX + toBase64(crypto.getRandomValues(new Uint8Array(SECRET_BYTES)));
}

/** The raw HMAC key inside a `whsec_` secret (a secret without the prefix is read as base64 too). */
export function secretKeyBytes(secret: string): Uint8Array {
	return fromBase64(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret);
}

const keyCache = new Map<string, Promise<CryptoKey>>();

/** The AES-GCM key from SECRETS_KEY (32 bytes, base64); a missing or bad key is a 503, never a leak. */
function aesKey(secretsKey: string | null): Promise<CryptoKey> {
	if (!secretsKey) throw new AppError("unavailable", "SECRETS_KEY is not configured; webhook sources are disabled.");
	let key = keyCache.get(secretsKey);
	if (!key) {
		let raw: Uint8Array;
		try {
			raw = fromBase64(secretsKey);
		} catch {
			throw new AppError("unavailable", "SECRETS_KEY is not valid base64.");
		}
		if (raw.length !== 32) throw new AppError("unavailable", "SECRETS_KEY must be 32 bytes of base64.");
		key = crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
		keyCache.set(secretsKey, key);
	}
	return key;
}

/** Encrypts a secret for storage: base64(iv || ciphertext+tag). */
export async function encryptSecret(secretsKey: string | null, plaintext: string): Promise<string> {
	const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
	const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await aesKey(secretsKey), encoder.encode(plaintext)));
	const out = new Uint8Array(IV_BYTES + sealed.length);
	out.set(iv);
	out.set(sealed, IV_BYTES);
	return toBase64(out);
}

/** Decrypts a stored secret; a tampered ciphertext or a changed SECRETS_KEY fails (AES-GCM authenticates). */
export async function decryptSecret(secretsKey: string | null, stored: string): Promise<string> {
	const bytes = fromBase64(stored);
	try {
		const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: bytes.slice(0, IV_BYTES) }, await aesKey(secretsKey), bytes.slice(IV_BYTES));
		return decoder.decode(plain);
	} catch (e) {
		if (e instanceof AppError) throw e;
		throw new AppError("unavailable", "A stored webhook secret cannot be decrypted with the current SECRETS_KEY.");
	}
}
