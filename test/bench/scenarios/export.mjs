// Exports of 100k incidents must stream: workerd's memory may not grow with the row count.
import { peakDuring } from "../lib/memory.mjs";
import { routeExists } from "../lib/probe.mjs";
import { figure, unavailable } from "../lib/report.mjs";

const LIMIT_MIB = 64;

/** Reads the whole export, counting bytes and lines, noting when the first byte came. */
export async function consume(vigil, path) {
	const started = performance.now();
	const res = await vigil.fetch(path);
	if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}`);
	let bytes = 0;
	let lines = 0;
	let firstByteMs = null;
	for await (const chunk of res.body) {
		firstByteMs ??= performance.now() - started;
		bytes += chunk.length;
		for (const b of chunk) if (b === 10) lines++;
	}
	return { bytes, lines, firstByteMs, totalMs: performance.now() - started, contentLength: res.headers.get("content-length") };
}

/** Peak workerd RSS growth while each export streams; n/a where the route is missing. */
export async function exportScenarios({ vigil }) {
	const rows = [];
	for (const path of ["/api/incidents.csv", "/api/incidents.geojson"]) {
		const name = `export ${path.split(".").pop().toUpperCase()} 100k`;
		if (!(await routeExists(vigil, "GET", path))) {
			rows.push(unavailable(name, "workerd peak RSS growth (MiB)", `< ${LIMIT_MIB}`, `GET ${path} answers 404 (intake not merged)`));
			continue;
		}
		if (!vigil.pid) throw new Error("the workerd process was not found; cannot measure memory");
		const m = await peakDuring(vigil.pid, () => consume(vigil, path));
		rows.push(
			figure(
				name,
				"workerd peak RSS growth (MiB)",
				m.growthMiB,
				{ below: LIMIT_MIB },
				{ rss_before_mib: m.beforeMiB, rss_peak_mib: m.peakMiB, hwm_reset: m.hwmReset, ...m.result },
			),
		);
	}
	return rows;
}
