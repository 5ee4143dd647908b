import { z } from "@hono/zod-openapi";

/**
 * What JSON can carry but Vigil cannot keep as sent. A lone UTF-16 surrogate (`"\ud800"`) is
 * valid JSON but not Unicode text: D1 would store it as U+FFFD. A `__proto__` key is swallowed by
 * any JavaScript object it is copied into (zod's records drop it without a word), and
 * `constructor` and `prototype` name the same internals. Both are refused wherever they appear,
 * so that no route, schema or future field can forget them.
 */

/** Keys no body may use, at any depth. */
const RESERVED_KEYS = new Set(["__proto__", "constructor", "prototype"]);
/** With the `u` flag a well-formed pair is one astral code point, so this matches lone halves only. */
const LONE_SURROGATE = /\p{Cs}/u;
/** Enough to say what is wrong; a body full of them is not worth listing whole. */
const MAX_ERRORS = 20;

/** A field that cannot be kept: its path (keys and indexes) and why. */
export interface UnkeepableField {
	path: (string | number)[];
	message: string;
}

const loneMessage = "holds a lone surrogate (half of a UTF-16 pair), which is not Unicode text";

/** Every place in a parsed JSON value that holds a lone surrogate or a reserved key (at most 20). */
export function unkeepableFields(value: unknown): UnkeepableField[] {
	const found: UnkeepableField[] = [];
	// Depth-first with an explicit stack: bodies may nest thousands of levels deep.
	const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
	for (let next = stack.pop(); next && found.length < MAX_ERRORS; next = stack.pop()) {
		const { value: v, path } = next;
		if (typeof v === "string") {
			if (LONE_SURROGATE.test(v)) found.push({ path, message: loneMessage });
		} else if (Array.isArray(v)) {
			for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: [...path, i] });
		} else if (v !== null && typeof v === "object") {
			for (const [key, child] of Object.entries(v).reverse()) {
				if (RESERVED_KEYS.has(key)) found.push({ path: [...path, key], message: `"${key}" is not accepted as a key: it names a JavaScript object internal` });
				else if (LONE_SURROGATE.test(key)) found.push({ path: [...path, key], message: `the key ${loneMessage}` });
				else stack.push({ value: child, path: [...path, key] });
			}
		}
	}
	return found;
}

/** Lone surrogates written out as `\ud800`, so that a path or a message can show them. */
export const showSurrogates = (text: string) => text.replace(/\p{Cs}/gu, (c) => `\\u${c.charCodeAt(0).toString(16)}`);

/**
 * `schema`, run on a parsed JSON body only once nothing in it is unkeepable: each such place is a
 * validation issue at its path, so the route answers 422 naming it, as for any other field.
 */
export const keepable = <T extends z.ZodType>(schema: T) =>
	z.preprocess((value, ctx) => {
		for (const { path, message } of unkeepableFields(value)) ctx.addIssue({ code: "custom", path, message, input: value });
		return value;
	}, schema);
