// The subscribe form's rate limit counts an IPv6 client by its /64 (one home or server holds a
// whole /64), an IPv4 client by its address, and an IPv4-mapped IPv6 address as its IPv4 address.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clientKey } from "../../worker/subscribers/client-key";

const hextet = fc.integer({ min: 0, max: 0xffff });
const groups = fc.array(hextet, { minLength: 8, maxLength: 8 });
const octet = fc.integer({ min: 0, max: 255 });

/** The full form, every group written. */
const full = (g: number[]) => g.map((x) => x.toString(16)).join(":");
/** The RFC 5952 form: the longest run of two or more zero groups written as `::`, leading zeros dropped. */
function compressed(g: number[]): string {
	let [best, bestLen, at, len] = [-1, 0, -1, 0];
	g.forEach((x, i) => {
		if (x === 0) {
			if (len === 0) at = i;
			len++;
			if (len > bestLen) [best, bestLen] = [at, len];
		} else len = 0;
	});
	if (bestLen < 2) return full(g);
	return `${full(g.slice(0, best))}::${full(g.slice(best + bestLen))}`;
}

describe("clientKey", () => {
	it("gives one key to every address of a /64, however it is written, and different keys to different /64s", () => {
		fc.assert(
			fc.property(groups, groups, fc.boolean(), (a, b, upper) => {
				const written = compressed(a);
				const key = clientKey(upper ? written.toUpperCase() : written);
				expect(key).toBe(clientKey(full(a)));
				expect(clientKey(full([...a.slice(0, 4), ...b.slice(4)]))).toBe(key);
				const sameNet = a.slice(0, 4).every((x, i) => x === b[i]);
				const mapped = a.slice(0, 5).every((x) => x === 0) && a[5] === 0xffff;
				if (!mapped && !(b.slice(0, 5).every((x) => x === 0) && b[5] === 0xffff)) expect(clientKey(full(b)) === key).toBe(sameNet);
			}),
		);
	});

	it("counts an IPv4 address, and the same address mapped into IPv6, as one client", () => {
		fc.assert(
			fc.property(fc.tuple(octet, octet, octet, octet), ([a, b, c, d]) => {
				const v4 = `${a}.${b}.${c}.${d}`;
				expect(clientKey(v4)).toBe(`ip:${v4}`);
				expect(clientKey(`::ffff:${v4}`)).toBe(`ip:${v4}`);
				expect(clientKey(`::ffff:${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`)).toBe(`ip:${v4}`);
			}),
		);
	});

	it("keeps what does not parse as written, so it is still counted", () => {
		expect(clientKey("unknown")).toBe("ip:unknown");
		expect(clientKey("2001:db8::1::2")).toBe("ip:2001:db8::1::2");
		expect(clientKey("2001:db8:0:0:0:0:0:0:1")).toBe("ip:2001:db8:0:0:0:0:0:0:1");
		expect(clientKey("2001:DB8::g")).toBe("ip:2001:db8::g");
		expect(clientKey("2001:db8:1:2::1")).toBe("ip6:2001:db8:1:2::/64");
		expect(clientKey("fe80::1%eth0")).toBe("ip6:fe80:0:0:0::/64");
	});
});
