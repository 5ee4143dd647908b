// Drives a server with autocannon on loopback: a warm-up run whose figures are dropped, then
// the measured run. Every request must answer with the expected status, or the figure is void.
import autocannon from "autocannon";

export const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
export const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);

function once(opts) {
	return new Promise((resolve, reject) => {
		autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
	});
}

/**
 * Measures one endpoint. `request(i)` may return {method, path, headers, body} per request
 * (signed webhooks need a fresh id and signature each time); otherwise `path` is fetched.
 */
export async function measure(
	base,
	{ path = "/", method = "GET", headers = {}, body, request, expect = 200, connections = CONNECTIONS, seconds = SECONDS, warmup = WARMUP_SECONDS } = {},
) {
	const opts = (duration) => {
		let i = 0;
		return {
			url: new URL(path, base).href,
			method,
			headers,
			body,
			connections,
			duration,
			...(request ? { requests: [{ setupRequest: (req) => ({ ...req, ...request(i++) }) }] } : {}),
		};
	};
	if (warmup > 0) await once(opts(warmup));
	const r = await once(opts(seconds));
	const statusCounts = { "1xx": r["1xx"], "2xx": r["2xx"], "3xx": r["3xx"], "4xx": r["4xx"], "5xx": r["5xx"] };
	const wanted = `${String(expect)[0]}xx`;
	const bad = r.errors + r.timeouts + Object.entries(statusCounts).reduce((n, [k, v]) => (k === wanted ? n : n + v), 0);
	if (bad > 0)
		throw new Error(
			`${method} ${path}: ${bad} of ${r.requests.total} requests did not answer ${wanted} (${JSON.stringify(statusCounts)}, errors ${r.errors}, timeouts ${r.timeouts})`,
		);
	return {
		rps: r.requests.average,
		requests: r.requests.total,
		p50: r.latency.p50,
		p99: r.latency.p99,
		mean: r.latency.mean,
		seconds,
		connections,
	};
}

/** Median wall time of `n` sequential calls after `warm` unmeasured ones, in ms. */
export async function medianMs(fn, n = 15, warm = 3) {
	for (let i = 0; i < warm; i++) await fn();
	const times = [];
	for (let i = 0; i < n; i++) {
		const t = performance.now();
		await fn();
		times.push(performance.now() - t);
	}
	times.sort((a, b) => a - b);
	return times[Math.floor(times.length / 2)];
}
