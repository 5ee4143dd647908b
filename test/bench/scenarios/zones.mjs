// Drawing a zone over many unzoned incidents: POST /api/zones with a 5-vertex square and with a
// 9,999-vertex ring around the seeded incidents, on an instance with 1k and one with 20k, every
// incident unzoned. The request places a bounded share and leaves the rest to the sweep, so its
// time must not follow the incident count. Each sample is a fresh zone, deleted afterwards (which
// unzones its incidents again, untimed), alternating the two instances so noise hits both alike.
// Baseline: the same create without a polygon, on the same instance, in the same rounds.
// Target: 20 times the incidents may cost at most 6 times the time. The request looks at no more
// than 4,000 candidates (at 1k it places all 1,000), so ~4x is the bounded cost and 20x would be a
// request that grows with the data.

import { REBUILD_HOURLY } from "../../support/rebuild-hourly.mjs";
import { adminHeaders, routeExists } from "../lib/probe.mjs";
import { figure, info, unavailable } from "../lib/report.mjs";
import { seedIncidents, seedReferenceRows } from "../lib/seed.mjs";

const SAMPLES = Number(process.env.BENCH_ZONE_SAMPLES ?? 9);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// The seed puts incidents at latitudes 33-34 and longitudes 42-43.
const SQUARE = [
	[41.9, 32.9],
	[43.1, 32.9],
	[43.1, 34.1],
	[41.9, 34.1],
	[41.9, 32.9],
];
const RING = (() => {
	const n = 9_998;
	// Five decimals (about a metre) keep the body under the API's 256 KiB.
	const at = (v) => Number(v.toFixed(5));
	const ps = Array.from({ length: n }, (_, i) => [at(42.5 + 0.75 * Math.cos((2 * Math.PI * i) / n)), at(33.5 + 0.75 * Math.sin((2 * Math.PI * i) / n))]);
	return [...ps, ps[0]];
})();
const SHAPES = { square: SQUARE, ring: RING, none: null };

let seq = 0;
/** Creates a zone (timed), then deletes it (untimed); returns the create's ms and its answer. */
async function drawAndErase(server, shape) {
	const polygon = SHAPES[shape];
	const body = JSON.stringify({
		slug: `bench-draw-${seq++}`,
		name: "Bench drawn zone",
		...(polygon && { polygon: { type: "Polygon", coordinates: [polygon] } }),
	});
	const started = performance.now();
	const res = await server.fetch("/api/zones", { method: "POST", headers: { ...adminHeaders, "content-type": "application/json" }, body });
	const answer = await res.json();
	const ms = performance.now() - started;
	if (res.status !== 201) throw new Error(`POST /api/zones answered ${res.status}: ${JSON.stringify(answer)}`);
	const gone = await server.fetch(`/api/zones/${answer.id}`, { method: "DELETE", headers: adminHeaders });
	if (gone.status !== 200) throw new Error(`DELETE /api/zones answered ${gone.status}: ${await gone.text()}`);
	return { ms, backfill: answer.backfill };
}

/** Seeds `count` incidents and takes every one out of its zone. */
async function seedUnzoned(server, count) {
	const now = Date.now();
	await seedIncidents(server.db, { from: 0, to: count, ...(await seedReferenceRows(server.db, now)), now });
	await server.db.exec("UPDATE incidents SET zone_id = NULL;");
	await server.db.exec(REBUILD_HOURLY);
}

/** p50 of zone creation per shape at 1k and 20k incidents, as ratios 20k / 1k and against the polygon-less create. */
export async function zoneScenarios({ start, vigilCode }) {
	const names = ["square: p50 20k vs 1k", "9,999-vertex ring: p50 20k vs 1k"];
	const small = await start("vigil-zones-1k", vigilCode);
	const large = await start("vigil-zones-20k", vigilCode);
	try {
		// An empty PATCH is a 422 where zones can be edited (and deleted), a 404 where they cannot.
		if (!(await routeExists(small, "PATCH", "/api/zones/bench-probe", { body: "{}" }))) {
			const why = "PATCH /api/zones/:id answers 404 (zones cannot be edited or deleted on this build)";
			return names.map((n) => unavailable("zones", n, "<= 6", why));
		}
		await Promise.all([seedUnzoned(small, 1_000), seedUnzoned(large, 20_000)]);
		const times = { small: { square: [], ring: [], none: [] }, large: { square: [], ring: [], none: [] } };
		const backfills = { small: {}, large: {} };
		for (let i = 0; i < SAMPLES + 1; i++) {
			for (const shape of ["none", "square", "ring"]) {
				const order = i % 2 === 0 ? ["small", "large"] : ["large", "small"];
				for (const which of order) {
					const { ms, backfill } = await drawAndErase(which === "small" ? small : large, shape);
					// The first round warms both isolates (and their index of each ring) and is not counted.
					if (i > 0) times[which][shape].push(ms);
					backfills[which][shape] = backfill;
				}
			}
		}
		const p50 = (which, shape) => median(times[which][shape]);
		const detail = {
			p50_ms: Object.fromEntries(
				["small", "large"].map((w) => [w === "small" ? "1k" : "20k", Object.fromEntries(Object.keys(SHAPES).map((s) => [s, p50(w, s)]))]),
			),
			backfill_answers: { "1k": backfills.small, "20k": backfills.large },
			samples: SAMPLES,
		};
		return [
			figure("zones", names[0], p50("large", "square") / p50("small", "square"), { max: 6 }, detail),
			figure("zones", names[1], p50("large", "ring") / p50("small", "ring"), { max: 6 }, detail),
			info("zones", "square at 20k: p50 ms (absolute)", p50("large", "square"), detail),
			info("zones", "ring at 20k: p50 vs create without polygon", p50("large", "ring") / p50("large", "none"), detail),
			info("zones", "ring at 20k: p50 ms (absolute)", p50("large", "ring"), detail),
		];
	} finally {
		await Promise.all([small.dispose(), large.dispose()]);
	}
}
