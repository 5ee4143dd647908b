import fc from "fast-check";
import Papa from "papaparse";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { ACLED_EVENT_TYPES, csvCell, csvLine, EVENT_TYPES, isSubEventOf, readEventDate } from "../../../worker/incidents/acled";
import { signPayload, TIMESTAMP_TOLERANCE_S, verifyWebhook } from "../../../worker/incidents/intake/signature";
import { decryptSecret, encryptSecret, generateSecret } from "../../../worker/sources/secrets";
import { DueError } from "../../../worker/time/due";
import { parseBBox, zoneForPoint } from "../../../worker/zones/geo";
import { propertyRuns } from "../../support/runs";

const KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
const idArb = fc.stringMatching(/^msg_[A-Za-z0-9]{1,30}$/);

describe("webhook signatures", () => {
	it("signs exactly as the standardwebhooks library does, and verifies what it signs", async () => {
		await fc.assert(
			fc.asyncProperty(idArb, fc.string({ maxLength: 200 }), fc.integer({ min: 1_600_000_000, max: 2_000_000_000 }), async (id, body, ts) => {
				const secret = generateSecret();
				const ours = await signPayload(secret, id, ts, body);
				expect(ours).toBe(new Webhook(secret).sign(id, new Date(ts * 1000), body));
				const now = new Date(ts * 1000);
				await expect(verifyWebhook([secret], { id, timestamp: String(ts), signature: ours }, body, now)).resolves.toEqual({ id, timestamp: ts });
				await expect(verifyWebhook([secret], { id, timestamp: String(ts), signature: ours }, `${body}x`, now)).rejects.toMatchObject({ code: "unauthorized" });
			}),
			{ numRuns: propertyRuns(40) },
		);
	});

	it("accepts a timestamp iff it is within ±5 minutes of now", async () => {
		const secret = generateSecret();
		await fc.assert(
			fc.asyncProperty(fc.integer({ min: -900, max: 900 }), async (skew) => {
				const now = new Date(1_800_000_000_000);
				const ts = 1_800_000_000 - skew;
				const signature = await signPayload(secret, "msg_1", ts, "{}");
				const ok = await verifyWebhook([secret], { id: "msg_1", timestamp: String(ts), signature }, "{}", now).then(
					() => true,
					() => false,
				);
				expect(ok).toBe(Math.abs(skew) <= TIMESTAMP_TOLERANCE_S);
			}),
			{ numRuns: propertyRuns(60) },
		);
	});

	it("accepts the previous secret during rotation and refuses malformed headers", async () => {
		const [oldSecret, newSecret] = [generateSecret(), generateSecret()];
		const now = new Date(1_800_000_000_000);
		const sig = await signPayload(oldSecret, "msg_2", 1_800_000_000, "{}");
		await expect(verifyWebhook([newSecret, oldSecret], { id: "msg_2", timestamp: "1800000000", signature: `v1,AAAA ${sig}` }, "{}", now)).resolves.toBeTruthy();
		await expect(verifyWebhook([newSecret], { id: "msg_2", timestamp: "1800000000", signature: sig }, "{}", now)).rejects.toMatchObject({
			code: "unauthorized",
		});
		for (const h of [
			{ id: "msg_2", timestamp: "1800000000.5", signature: sig },
			{ id: "msg_2", timestamp: "1800000000", signature: sig.replace("v1,", "v2,") },
			{ id: undefined, timestamp: "1800000000", signature: sig },
		]) {
			await expect(verifyWebhook([oldSecret], h, "{}", now)).rejects.toMatchObject({ code: "unauthorized" });
		}
	});
});

describe("secrets at rest", () => {
	it("round-trips through AES-GCM, with a fresh IV each time, and refuses a tampered ciphertext", async () => {
		const secret = generateSecret();
		const [a, b] = [await encryptSecret(KEY, secret), await encryptSecret(KEY, secret)];
		expect(a).not.toBe(b);
		expect(await decryptSecret(KEY, a)).toBe(secret);
		const bytes = atob(a);
		const tampered = btoa(bytes.slice(0, -1) + String.fromCharCode(bytes.charCodeAt(bytes.length - 1) ^ 1));
		await expect(decryptSecret(KEY, tampered)).rejects.toMatchObject({ code: "unavailable" });
		await expect(encryptSecret(null, secret)).rejects.toMatchObject({ code: "unavailable" });
	});
});

describe("CSV cells", () => {
	it("parse back to the text, with a leading apostrophe exactly when a spreadsheet would run it", () => {
		fc.assert(
			fc.property(fc.array(fc.string({ maxLength: 30 }), { minLength: 1, maxLength: 5 }), (cells) => {
				const [parsed] = Papa.parse<string[]>(csvLine(cells) + csvLine(["end"]), { delimiter: "," }).data;
				expect(parsed).toEqual(cells.map((c) => (/^[=+\-@\t\r]/.test(c) ? `'${c}` : c)));
				for (const c of parsed ?? []) expect(c).not.toMatch(/^[=+\-@\t\r]/);
			}),
		);
		expect(csvCell(-3.5)).toBe("-3.5");
		expect(csvCell(null)).toBe("");
	});
});

describe("ACLED dates and taxonomy", () => {
	it("reads any real day, ISO or ACLED's long form, as that UTC midnight", () => {
		const months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
		fc.assert(
			fc.property(fc.date({ min: new Date("1990-01-01"), max: new Date("2100-12-31"), noInvalidDate: true }), (d) => {
				const iso = d.toISOString().slice(0, 10);
				const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
				expect(readEventDate(iso)).toEqual({ eventDate: iso, precision: "day", occurredAt: new Date(midnight) });
				expect(readEventDate(`${d.getUTCDate()} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()}`).eventDate).toBe(iso);
			}),
		);
		expect(readEventDate("2025-08")).toMatchObject({ precision: "month", occurredAt: new Date("2025-08-01T00:00:00Z") });
		for (const bad of ["2025-02-29", "31 June 2025", "2025-13", "yesterday", "2025-08-20T10:00"]) expect(() => readEventDate(bad)).toThrow(DueError);
	});

	it("knows the six event types and nests sub-event types strictly", () => {
		expect(EVENT_TYPES).toHaveLength(6);
		for (const type of EVENT_TYPES) for (const sub of ACLED_EVENT_TYPES[type]) expect(isSubEventOf(type, sub)).toBe(true);
		expect(isSubEventOf("Protests", "Armed clash")).toBe(false);
	});
});

describe("geometry", () => {
	it("assigns a point to a rectangle zone iff it lies inside (boundary included)", () => {
		// Coordinates at 1e-4 degree (about 11 m): real positions, and no subnormal floats, where
		// turf's cross products underflow to "on the boundary".
		const deg = (min: number, max: number) => fc.integer({ min: min * 1e4, max: max * 1e4 }).map((v) => v / 1e4);
		fc.assert(
			fc.property(deg(-170, 160), deg(-80, 70), deg(0.01, 10), deg(-180, 180), deg(-90, 90), (w, s, size, lon, lat) => {
				const [e, n] = [w + size, s + size];
				const zone = {
					id: 1,
					slug: "r",
					polygon: {
						type: "Polygon" as const,
						coordinates: [
							[
								[w, s],
								[e, s],
								[e, n],
								[w, n],
								[w, s],
							] as [number, number][],
						],
					},
				};
				const inside = lon >= w && lon <= e && lat >= s && lat <= n;
				expect(zoneForPoint([zone], lon, lat) !== null).toBe(inside);
			}),
			{ numRuns: propertyRuns(2000) },
		);
	});

	it("reads a bbox only when it is west,south,east,north within range", () => {
		expect(parseBBox("38.8,32,42.5,35")).toEqual([38.8, 32, 42.5, 35]);
		for (const bad of ["1,2,3", "a,b,c,d", "10,0,5,1", "0,10,1,5", "-181,0,0,1", "0,0,0,91", "1,,2,3"]) expect(parseBBox(bad)).toBeNull();
	});
});
