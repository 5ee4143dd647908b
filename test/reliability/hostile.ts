// fast-check arbitraries for hostile input: bodies that can never be valid, headers and query
// strings an attacker or a broken client would send. Shared by the fuzz suite.
import fc from "fast-check";

/** Strings that have broken parsers, HTML, headers, CSV or SQL somewhere. */
export const hostileString = fc.oneof(
	fc.string({ maxLength: 40 }),
	fc.string({ unit: "grapheme", maxLength: 20 }),
	fc.constantFrom(
		"<script>alert(1)</script>",
		'"><img src=x onerror=alert(1)>',
		"\r\nSet-Cookie: pwned=1",
		'=HYPERLINK("http://evil.example")',
		"+cmd|' /C calc'!A0",
		"'; DROP TABLE milestones; --",
		"\u0000",
		"\u202e\u0000\ud800",
		"%00",
		"../../etc/passwd",
		"𝕏".repeat(500),
		"9".repeat(400),
		"2025-13-45",
		"2025-02-30",
		"-271821-04-20",
		"P99999999999999999D",
		"Etc/GMT+99",
		"javascript:alert(1)",
		// biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, meant literally
		"{{7*7}}${7*7}",
		"a".repeat(5000),
	),
);

const hostileValue = fc.oneof(
	hostileString,
	fc.jsonValue({ maxDepth: 2 }),
	fc.constantFrom(null, true, false, -1, 0, 1e308, -1e308, 2 ** 53 + 1, [], {}),
	fc.array(hostileString, { maxLength: 30 }),
	fc.constantFrom(
		{
			type: "Polygon",
			coordinates: [
				[
					[200, 100],
					[0, 0],
					[1, 1],
					[200, 100],
				],
			],
		},
		{ type: "Point", coordinates: [0, 0] },
		{
			type: "Polygon",
			coordinates: [
				[
					[0, 0],
					[1, 1],
				],
			],
		},
	),
);

/** Keys no write endpoint accepts: a strict schema must refuse any body that has one. */
const UNKNOWN_KEYS = ["__proto__", "constructor", "prototype", "is_admin", "id", "created_at", "due_at", "slip_count", "next_check_at", "$where", ""];

/**
 * A JSON object text: sometimes a valid body (`valid`), any of `known` fields set to anything,
 * and always at least one unknown key, so a strict schema must refuse it whatever else it holds.
 */
export function strictBreaker(known: readonly string[], valid: Record<string, unknown>) {
	const entry = (keys: fc.Arbitrary<string>) => fc.tuple(keys, hostileValue);
	return fc
		.tuple(
			fc.boolean(),
			fc.array(entry(fc.constantFrom(...known)), { maxLength: 8 }),
			fc.array(entry(fc.constantFrom(...UNKNOWN_KEYS)), { minLength: 1, maxLength: 3 }),
		)
		.chain(([withValid, a, b]) =>
			fc.shuffledSubarray([...a, ...b], { minLength: a.length + b.length }).map((rest) => [...(withValid ? Object.entries(valid) : []), ...rest]),
		)
		.map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(",")}}`);
}

/** A lone UTF-16 surrogate: JSON text can write it (`"\ud800"`), but it is not Unicode. */
export const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

/** `valid` with a lone surrogate somewhere in one of its string fields: a body no endpoint may keep. */
export function withLoneSurrogate(valid: Record<string, unknown>) {
	const fields = Object.keys(valid).filter((k) => typeof valid[k] === "string");
	return fc.tuple(fc.constantFrom(...fields), fc.nat(), loneSurrogate).map(([field, at, lone]) => {
		const text = valid[field] as string;
		const i = at % (text.length + 1);
		return JSON.stringify({ ...valid, [field]: text.slice(0, i) + lone + text.slice(i) });
	});
}

/** `valid` as JSON text with a `__proto__` key (which an object literal cannot hold) among its fields. */
export function withProtoKey(valid: Record<string, unknown>) {
	return fc.tuple(fc.nat(), hostileValue).map(([at, value]) => {
		const entries = Object.entries(valid).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
		entries.splice(at % (entries.length + 1), 0, `"__proto__":${JSON.stringify(value)}`);
		return `{${entries.join(",")}}`;
	});
}

const pad = (n: number) => String(n).padStart(2, "0");
const year = fc.integer({ min: 1900, max: 2200 });

/** A day that its month does not have (2025-02-29, 2025-04-31, 2025-01-35). */
const impossibleDay = fc
	.record({ y: year, m: fc.integer({ min: 1, max: 12 }), over: fc.integer({ min: 1, max: 8 }) })
	.map(({ y, m, over }) => `${y}-${pad(m)}-${pad(Math.min(new Date(Date.UTC(y, m, 0)).getUTCDate() + over, 39))}`);

/** Calendar dates and instants that look right and do not exist: what Date.parse would roll over. */
export const impossibleDate = fc.oneof(
	impossibleDay,
	fc.tuple(year, fc.constantFrom(0, 13, 14, 19), fc.integer({ min: 1, max: 28 })).map(([y, m, d]) => `${y}-${pad(m)}-${pad(d)}`),
	fc.tuple(year, fc.integer({ min: 1, max: 28 })).map(([y, d]) => `${y}-00-${pad(d)}`),
	fc.tuple(impossibleDay, fc.constantFrom("Z", "+03:00", "-05:30")).map(([d, zone]) => `${d}T10:00:00${zone}`),
	fc
		.tuple(year, fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), fc.constantFrom("24:00:00", "25:10:00", "23:60:00", "12:99:00"))
		.map(([y, m, d, t]) => `${y}-${pad(m)}-${pad(d)}T${t}Z`),
);

const OVERSIZE = `{"title":"${"a".repeat(300 * 1024)}","due":"2030"}`;
const DEEP = `${"[".repeat(5000)}${"]".repeat(5000)}`;

/** Any body text that no write endpoint may accept; `valid` is a body it would accept. */
export function hostileBody(known: readonly string[], valid: Record<string, unknown>) {
	return fc.oneof(
		{ weight: 4, arbitrary: strictBreaker(known, valid) },
		// A body without text fields (PATCH {paused}) gets its lone surrogate in a field of its own.
		{ weight: 1, arbitrary: withLoneSurrogate(Object.values(valid).some((v) => typeof v === "string") ? valid : { ...valid, note: "text" }) },
		{ weight: 1, arbitrary: withProtoKey(valid) },
		{
			weight: 2,
			arbitrary: fc
				.jsonValue({ maxDepth: 3 })
				.filter((v) => v === null || typeof v !== "object" || Array.isArray(v))
				.map((v) => JSON.stringify(v)),
		},
		{ weight: 2, arbitrary: fc.string({ maxLength: 60 }) },
		{ weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v).slice(0, -1)) },
		{
			weight: 1,
			arbitrary: fc.constantFrom("", "{}", "null", "[]", '{"a":1,}', "{'title':'x'}", "\ufeff{}", OVERSIZE, DEEP, `{"title":"x","due":"2030"}garbage`),
		},
	);
}

/** content-type values, from the right one to the absurd. */
export const contentType = fc.oneof(
	{ weight: 4, arbitrary: fc.constantFrom("application/json", "application/json; charset=utf-8", "application/merge-patch+json") },
	{
		weight: 2,
		arbitrary: fc.constantFrom(
			undefined,
			"",
			"text/plain",
			"application/x-www-form-urlencoded",
			"multipart/form-data; boundary=x",
			"application/jsonx",
			"text/json",
			"application/json\t;",
			"*/*",
		),
	},
	{ weight: 1, arbitrary: fc.stringMatching(/^[\x20-\x7e]{0,40}$/) },
);

/** authorization values: mostly the admin token (so validation is what gets fuzzed), else garbage. */
export const authorization = (admin: string) =>
	fc.oneof(
		{ weight: 6, arbitrary: fc.constant(`Bearer ${admin}`) },
		{
			weight: 2,
			arbitrary: fc.constantFrom(
				undefined,
				"Bearer",
				"Bearer ",
				`Bearer ${admin}x`,
				`bearer  ${admin.slice(0, -1)}`,
				`Basic ${btoa(`admin:${admin}`)}`,
				`Bearer ${admin} ${admin}`,
			),
		},
		{ weight: 1, arbitrary: fc.stringMatching(/^[\x20-\x7e]{0,60}$/) },
	);

/** A query string: random pairs, encoded, or raw bytes that break naive decoders. */
export const queryString = fc.oneof(
	fc.constant(""),
	fc.dictionary(hostileString, hostileString, { maxKeys: 4 }).map((d) => `?${new URLSearchParams(d).toString()}`),
	fc.constantFrom("?%", "?%%", "?a=%ZZ", "?cursor=%FF%FE", "?limit=-1", "?limit=1e9", "?__proto__[x]=1", `?${"a=1&".repeat(500)}`),
);

/** Extra headers of any (valid) name and value. */
export const extraHeaders = fc.array(fc.tuple(fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/), fc.stringMatching(/^[\x20-\x7e]{0,60}$/)), { maxLength: 4 });

const base64url = (text: string) =>
	btoa(String.fromCharCode(...new TextEncoder().encode(text)))
		.replace(/\+/g, "-")
		.replace(/\//g, "_")
		.replace(/=+$/, "");

/** Cursors that look like ours (base64url JSON pairs) but hold anything, and ones that do not. */
export const hostileCursor = fc.oneof(
	fc
		.tuple(fc.oneof(fc.double(), fc.integer(), hostileString, fc.constant(null)), fc.oneof(fc.integer(), fc.double(), fc.constant(-1), fc.constant(2 ** 60)))
		.map((pair) => base64url(JSON.stringify(pair))),
	fc.jsonValue({ maxDepth: 2 }).map((v) => base64url(JSON.stringify(v))),
	hostileString,
);

/** A list query with each known parameter set to something hostile (or left out). */
export const hostileListQuery = fc
	.record(
		{
			limit: fc.oneof(hostileString, fc.integer().map(String)),
			cursor: hostileCursor,
			status: hostileString,
			kind: hostileString,
			tag: hostileString,
			from: fc.oneof(hostileString, impossibleDate),
			to: fc.oneof(hostileString, impossibleDate),
			since: fc.oneof(hostileString, impossibleDate),
			until: fc.oneof(hostileString, impossibleDate),
		},
		{ requiredKeys: [] },
	)
	.map((q) => `?${new URLSearchParams(q as Record<string, string>).toString()}`);
