/**
 * The status page's HTML, rendered once and reused while nothing it shows has changed: rendering
 * it costs more than reading its (already reused) data. Kept per isolate, per D1 binding (as the
 * data is, so two databases never share a page) and per `key`, which names everything the HTML
 * depends on that is not data (scope, page heading, language, configuration problems). The data
 * objects themselves are compared by identity: when the status memo computes new ones, the page
 * is rendered again. Each response's CSP nonce differs, so the page is rendered with a marker
 * in its `nonce` attributes and every answer gets its own nonce put in their place.
 */

// Escaped text never holds a raw `"` (the JSX escaper writes `&quot;`), so `nonce="…"` with raw
// quotes is only ever an attribute the page emits itself; the marker is not base64, so it is
// never a real nonce either.
const MARK = 'nonce="{vigil-nonce}"';

type Entry = { at: number; inputs: readonly object[]; html: Promise<string> };

const entries = new WeakMap<object, Map<string, Entry>>();

const sameInputs = (a: readonly object[], b: readonly object[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The page for `key` as rendered from `inputs` (compared by identity) if that was less than `ttlMs`
 * ago and the client did not ask for a fresh one (`bypass`), else `render`ed now and remembered;
 * either way with `nonce` (the response's, base64 from the headers middleware) in its nonce attributes.
 */
export async function read(
	binding: object,
	key: string,
	inputs: readonly object[],
	nowMs: number,
	ttlMs: number,
	bypass: boolean,
	nonce: string,
	render: (nonce: string) => string | Promise<string>,
): Promise<string> {
	const html = await remembered(binding, key, inputs, nowMs, ttlMs, bypass, render);
	return html.replaceAll(MARK, () => `nonce="${nonce}"`);
}

function remembered(
	binding: object,
	key: string,
	inputs: readonly object[],
	nowMs: number,
	ttlMs: number,
	bypass: boolean,
	render: (nonce: string) => string | Promise<string>,
): Promise<string> {
	let pages = entries.get(binding);
	const entry = pages?.get(key);
	if (entry && !bypass && ttlMs > 0 && nowMs - entry.at < ttlMs && nowMs >= entry.at && sameInputs(entry.inputs, inputs)) return entry.html;
	const html = Promise.resolve().then(() => render(MARK.slice('nonce="'.length, -1)));
	if (ttlMs > 0) {
		if (!pages) {
			pages = new Map();
			entries.set(binding, pages);
		}
		// Expired pages go as new ones come, so an edited page's old HTML is not kept.
		for (const [k, e] of pages) if (nowMs - e.at >= ttlMs || nowMs < e.at) pages.delete(k);
		const fresh = { at: nowMs, inputs, html };
		const held = pages;
		held.set(key, fresh);
		html.catch(() => {
			if (held.get(key) === fresh) held.delete(key);
		});
	}
	return html;
}
