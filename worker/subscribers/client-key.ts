/**
 * What the subscribe form's rate limit counts a client by. An IPv4 address is one client. An IPv6
 * address is counted by its /64: a home or a hosted server is routinely given a whole /64, so
 * counting single addresses would let one client take 2^64 fresh budgets. An IPv4-mapped IPv6
 * address (`::ffff:192.0.2.1`) is its IPv4 address. Anything that does not parse (a missing header
 * reads "unknown") is counted as written, lowercased.
 */
export function clientKey(address: string): string {
	const text = address.trim().toLowerCase();
	if (!text.includes(":")) return `ip:${text}`;
	const groups = ipv6Groups(text);
	if (!groups) return `ip:${text}`;
	if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
		const [hi = 0, lo = 0] = groups.slice(6);
		return `ip:${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
	}
	return `ip6:${groups
		.slice(0, 4)
		.map((g) => g.toString(16))
		.join(":")}::/64`;
}

const HEXTET = /^[0-9a-f]{1,4}$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** The eight 16-bit groups of an IPv6 address (with `::` and a trailing dotted IPv4 part), or null. */
function ipv6Groups(text: string): number[] | null {
	const zone = text.indexOf("%");
	const bare = zone === -1 ? text : text.slice(0, zone);
	const halves = bare.split("::");
	if (halves.length > 2) return null;
	const parse = (half: string | undefined): number[] | null => {
		if (!half) return [];
		const out: number[] = [];
		const parts = half.split(":");
		for (const [i, part] of parts.entries()) {
			const v4 = IPV4.exec(part);
			if (v4 && i === parts.length - 1) {
				const octets = v4.slice(1).map(Number);
				if (octets.some((o) => o > 255)) return null;
				const [a = 0, b = 0, c = 0, d = 0] = octets;
				out.push((a << 8) | b, (c << 8) | d);
			} else if (HEXTET.test(part)) out.push(Number.parseInt(part, 16));
			else return null;
		}
		return out;
	};
	const head = parse(halves[0]);
	const tail = parse(halves[1]);
	if (!head || !tail) return null;
	if (halves.length === 1) return head.length === 8 ? head : null;
	const missing = 8 - head.length - tail.length;
	return missing >= 1 ? [...head, ...Array<number>(missing).fill(0), ...tail] : null;
}
