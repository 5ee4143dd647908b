// Reads as data grows: GET /status and a filtered GET /api/incidents page at 1k and at 100k
// incidents, and /status's throughput against the hello-world baseline.
import { measure, medianMs } from "../lib/load.mjs";
import { routeExists } from "../lib/probe.mjs";
import { figure, info, unavailable } from "../lib/report.mjs";

export const INCIDENTS_QUERY = "/api/incidents?zone=bench-zone-3&event_type=Battles&limit=50";
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);

/** p50 of sequential requests (one at a time, so queueing does not blur the ratio), in ms. */
async function p50(server, path) {
	return medianMs(async () => {
		const res = await server.fetch(path);
		await res.arrayBuffer();
		if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}`);
	}, SAMPLES, 20);
}

/** Figures taken at the current size; called once at 1k incidents and once at 100k. */
export async function readSnapshot(vigil) {
	const status = await (await vigil.fetch("/status")).json();
	const snapshot = { statusP50: await p50(vigil, "/status"), statusIncidents7d: status.incidents?.last_7d ?? null };
	snapshot.incidentsAvailable = await routeExists(vigil, "GET", INCIDENTS_QUERY);
	if (snapshot.incidentsAvailable) snapshot.incidentsP50 = await p50(vigil, INCIDENTS_QUERY);
	return snapshot;
}

/** The three read figures from the two snapshots and a throughput run against hello-world. */
export async function readFigures({ vigil, hello, small, large }) {
	const warn = large.statusIncidents7d === 0 ? "this build's /status does not count incidents yet (placeholder zeros), so the ratio says little until intake is merged" : undefined;
	const rows = [figure("GET /status 100k vs 1k", "p50 ratio", large.statusP50 / small.statusP50, { max: 1.5 }, { p50_1k_ms: small.statusP50, p50_100k_ms: large.statusP50, last_7d_at_100k: large.statusIncidents7d, warn })];
	const helloRun = await measure(hello.url, { path: "/" });
	const statusRun = await measure(vigil.url, { path: "/status" });
	// One `SELECT 1` through the same stack: the ceiling for any route that touches D1 here.
	const healthRun = await measure(vigil.url, { path: "/healthz" });
	rows.push(figure("GET /status at 100k", "throughput vs hello-world", statusRun.rps / helloRun.rps, { min: 0.5 }, { hello: helloRun, status: statusRun, warn }));
	rows.push(info("GET /healthz (1 D1 query)", "throughput vs hello-world", healthRun.rps / helloRun.rps, { hello: helloRun, healthz: healthRun }));
	if (!large.incidentsAvailable) rows.push(unavailable("GET /api/incidents filtered", "p50 100k vs 1k", "<= 1.5", `GET ${INCIDENTS_QUERY} answers 404 (intake not merged)`));
	else rows.push(figure("GET /api/incidents filtered", "p50 100k vs 1k", large.incidentsP50 / small.incidentsP50, { max: 1.5 }, { query: INCIDENTS_QUERY, p50_1k_ms: small.incidentsP50, p50_100k_ms: large.incidentsP50 }));
	return rows;
}
