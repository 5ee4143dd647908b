/**
 * Where a channel may send: a pure check of a receiver URL against APP_URL. Production receivers
 * are https on a public address; a local run (APP_URL on localhost) may also use plain
 * http://localhost or 127.0.0.1, to reach a receiver on the same machine. Names are not resolved
 * (a Worker cannot): the rules judge the URL as written, literals and `localhost` names included.
 */

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Is this APP_URL a local run's (http(s)://localhost…, 127.0.0.1, [::1])? */
export function isLocalAppUrl(appUrl: string): boolean {
	try {
		return LOCAL_HOSTS.has(new URL(appUrl).hostname);
	} catch {
		return false;
	}
}

/** An IPv4 literal's four bytes, or null (the URL parser already turned `2130706433` into dotted form). */
function ipv4(host: string): number[] | null {
	const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
	return m ? m.slice(1).map(Number) : null;
}

/** Loopback, private, shared (CGNAT), link-local, unspecified, multicast and reserved IPv4 ranges. */
function ipv4NotPublic([a = 0, b = 0]: number[]): boolean {
	return (
		a === 0 ||
		a === 10 ||
		a === 127 ||
		(a === 100 && b >= 64 && b <= 127) ||
		(a === 169 && b === 254) ||
		(a === 172 && b >= 16 && b <= 31) ||
		(a === 192 && b === 168) ||
		(a === 198 && (b === 18 || b === 19)) ||
		a >= 224
	);
}

/** The 8 groups of an IPv6 literal (`[…]` as the URL parser writes it, compressed, maybe with a dotted tail), or null. */
function ipv6Groups(host: string): number[] | null {
	if (!host.startsWith("[") || !host.endsWith("]")) return null;
	let text = host.slice(1, -1);
	const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
	if (dotted?.[1]) {
		const v4 = ipv4(dotted[1]) ?? [0, 0, 0, 0];
		text = `${text.slice(0, -dotted[1].length)}${((v4[0] ?? 0) * 256 + (v4[1] ?? 0)).toString(16)}:${((v4[2] ?? 0) * 256 + (v4[3] ?? 0)).toString(16)}`;
	}
	const [head = "", tail] = text.split("::");
	const left = head ? head.split(":") : [];
	const right = tail ? tail.split(":") : [];
	const missing = 8 - left.length - right.length;
	const groups = [...left, ...Array(tail === undefined ? 0 : missing).fill("0"), ...right].map((g) => Number.parseInt(g, 16));
	return groups.length === 8 && groups.every((g) => Number.isInteger(g)) ? groups : null;
}

/** Unspecified, loopback, IPv4-mapped non-public, unique-local (fc00::/7), link-local (fe80::/10), multicast (ff00::/8). */
function ipv6NotPublic(g: number[]): boolean {
	const [g0 = 0, , , , , g5 = 0, g6 = 0, g7 = 0] = g;
	const zeroHead = g.slice(0, 5).every((x) => x === 0);
	if (zeroHead && g5 === 0 && g6 === 0 && g7 <= 1) return true;
	if (zeroHead && g5 === 0xffff) return ipv4NotPublic([g6 >> 8, g6 & 0xff]);
	return (g0 & 0xfe00) === 0xfc00 || (g0 & 0xffc0) === 0xfe80 || (g0 & 0xff00) === 0xff00;
}

/**
 * Why a receiver URL is refused, as a rule to name in a 422 (null when it is allowed). `appUrl`
 * decides whether this is a local run, where http://localhost and 127.0.0.1 are allowed.
 */
export function urlRuleBroken(text: string, appUrl: string): string | null {
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return "must be an absolute URL";
	}
	if (url.protocol !== "https:" && url.protocol !== "http:") return "must be an https URL";
	if (url.username || url.password) return "must not carry a user name or password";
	const host = url.hostname.toLowerCase();
	if (LOCAL_HOSTS.has(host)) {
		return isLocalAppUrl(appUrl) ? null : "must not point at localhost or a loopback address (allowed only when APP_URL is itself a localhost URL)";
	}
	if (url.protocol !== "https:") return "must be an https URL (plain http only for localhost, when APP_URL is a localhost URL)";
	if (host.endsWith(".localhost") || host.endsWith(".local") || host.endsWith(".internal")) return "must not point at a local-only host name";
	const v4 = ipv4(host);
	if (v4 && ipv4NotPublic(v4)) return "must not point at a loopback, private or link-local address";
	const v6 = ipv6Groups(host);
	if (host.startsWith("[") && (!v6 || ipv6NotPublic(v6))) return "must not point at a loopback, private or link-local address";
	return null;
}
