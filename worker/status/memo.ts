/**
 * A per-isolate memo for values that are read far more often than they change (/status is
 * polled by pages, monitors and feed readers). It keeps the promise, so concurrent requests
 * share one computation, forgets a failed one at once, and is keyed by the D1 binding so two
 * databases in one isolate (tests) never share an answer.
 */
export class Memo<T> {
	private readonly entries = new WeakMap<object, { at: number; value: Promise<T> }>();

	/** The remembered value if younger than `ttlMs` (and not bypassed), else a fresh one; with its age. */
	get(key: object, nowMs: number, ttlMs: number, bypass: boolean, compute: () => Promise<T>): { value: Promise<T>; ageMs: number } {
		const entry = this.entries.get(key);
		if (entry && !bypass && ttlMs > 0 && nowMs - entry.at < ttlMs && nowMs >= entry.at) return { value: entry.value, ageMs: nowMs - entry.at };
		const value = compute();
		if (ttlMs > 0) {
			const fresh = { at: nowMs, value };
			this.entries.set(key, fresh);
			value.catch(() => {
				if (this.entries.get(key) === fresh) this.entries.delete(key);
			});
		}
		return { value, ageMs: 0 };
	}
}
