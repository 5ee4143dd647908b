import type { Context } from "hono";
import type { AppEnv } from "../env";

/** Whether the client asked for a fresh answer (`Cache-Control: no-cache`, `no-store` or `max-age=0`), not a remembered one. */
export const wantsFresh = (c: Context<AppEnv>) => /no-cache|no-store|max-age=0/i.test(c.req.header("cache-control") ?? "");

/**
 * A per-isolate memo for values that are read far more often than they change (/status is
 * polled by pages, monitors and feed readers). It keeps the promise, so concurrent requests
 * share one computation, forgets a failed one at once, and is keyed by the D1 binding so two
 * databases in one isolate (tests) never share an answer, and by a scope ("" for the whole
 * instance, one key per situation page) so one page's figures never answer for another's.
 */
export class Memo<T> {
	private readonly entries = new WeakMap<object, Map<string, { at: number; value: Promise<T> }>>();

	/** The remembered value if younger than `ttlMs` (and not bypassed), else a fresh one; with its age. */
	get(key: object, scope: string, nowMs: number, ttlMs: number, bypass: boolean, compute: () => Promise<T>): { value: Promise<T>; ageMs: number } {
		let scopes = this.entries.get(key);
		const entry = scopes?.get(scope);
		if (entry && !bypass && ttlMs > 0 && nowMs - entry.at < ttlMs && nowMs >= entry.at) return { value: entry.value, ageMs: nowMs - entry.at };
		const value = compute();
		if (ttlMs > 0) {
			if (!scopes) {
				scopes = new Map();
				this.entries.set(key, scopes);
			}
			// Expired scopes go as new ones come, so pages edited or deleted long ago hold no memory.
			for (const [k, e] of scopes) if (nowMs - e.at >= ttlMs || nowMs < e.at) scopes.delete(k);
			const fresh = { at: nowMs, value };
			const held = scopes;
			held.set(scope, fresh);
			value.catch(() => {
				if (held.get(scope) === fresh) held.delete(scope);
			});
		}
		return { value, ageMs: 0 };
	}

	/** Forgets every value remembered for `key` (a write through this isolate changed what they were read from). */
	forget(key: object): void {
		this.entries.delete(key);
	}
}
