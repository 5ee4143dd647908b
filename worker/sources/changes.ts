/**
 * How many times this isolate has written a source (created, renamed, (de)activated, rotated).
 * Webhook intake keeps what it read of each source per isolate and reads again whatever it read
 * before this number moved, so a change made here is seen by the next message at once. Changes
 * made through other isolates reach intake through its write guard and its short trust period.
 */
let generation = 0;

/** The number of source writes this isolate has made so far. */
export const sourcesGeneration = (): number => generation;

/** Records that this isolate has just written a source. */
export function sourceWritten(): void {
	generation++;
}
