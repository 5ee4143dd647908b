/** 32 random bytes, base64url: unguessable, so a link alone authorises what it does (unsubscribe, confirm). */
export function newToken(): string {
	const bytes = crypto.getRandomValues(new Uint8Array(32));
	return btoa(String.fromCharCode(...bytes))
		.replace(/\+/g, "-")
		.replace(/\//g, "_")
		.replace(/=+$/, "");
}

/** What a link token may look like; anything else is not looked up. */
export const TOKEN_SHAPE = /^[A-Za-z0-9_-]{20,100}$/;

/**
 * Hex SHA-256 of a token, as a confirmation token is stored: whoever reads the table cannot
 * confirm with it. No salt or slow hash is needed for 256 random bits.
 */
export async function hashToken(token: string): Promise<string> {
	const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token)));
	return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}
