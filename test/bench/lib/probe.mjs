// Whether an endpoint exists on this build: the app answers 404 problem+json for unknown routes.
import { ADMIN_TOKEN } from "./server.mjs";

export const adminHeaders = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** True unless `method path` answers 404 (any other status means the route is there). */
export async function routeExists(server, method, path, init = {}) {
	const res = await server.fetch(path, { method, headers: { ...adminHeaders, "content-type": "application/json" }, ...init });
	await res.arrayBuffer();
	return res.status !== 404;
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function pool(items, limit, fn) {
	let next = 0;
	const workers = Array.from({ length: limit }, async () => {
		while (next < items.length) {
			const i = next++;
			await fn(items[i], i);
		}
	});
	await Promise.all(workers);
}
