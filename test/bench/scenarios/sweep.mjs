// The sweep's cost must not grow with idle milestones: 10k milestones (100 due) against 100
// (all due), 1k subscribers each following one of 100 tags, so each due milestone reaches 10.
import { medianMs } from "../lib/load.mjs";
import { adminHeaders, pool, routeExists } from "../lib/probe.mjs";
import { figure, unavailable } from "../lib/report.mjs";
import { seedSubscribers } from "../lib/seed.mjs";

const SWEEP_CRON = "*/10 * * * *";
const DUE = 100;
const TAGS = 100;

/** Milestones go through POST /api/milestones so next_check_at is whatever the real code sets. */
async function createMilestones(server, total) {
	const soon = new Date(Date.now() + 12 * 3_600_000).toISOString().replace(/\.\d+Z$/, "Z");
	const specs = Array.from({ length: total }, (_, i) => ({
		title: `Bench milestone ${i}`,
		slug: `bench-m-${i}`,
		// The first DUE cross their P1D threshold now; the rest are years away (idle).
		due: i < DUE ? soon : `${2031 + (i % 20)}-${String(1 + (i % 12)).padStart(2, "0")}`,
		tags: [`t${i % TAGS}`],
	}));
	await pool(specs, 16, async (body) => {
		const res = await server.fetch("/api/milestones", { method: "POST", headers: { ...adminHeaders, "content-type": "application/json" }, body: JSON.stringify(body) });
		if (res.status !== 201) throw new Error(`POST /api/milestones answered ${res.status}: ${await res.text()}`);
	});
}

async function sweep(server) {
	const started = performance.now();
	const res = await server.fetch(`/__bench/scheduled?cron=${encodeURIComponent(SWEEP_CRON)}`, { method: "POST" });
	if (res.status !== 200) throw new Error(`sweep answered ${res.status}: ${await res.text()}`);
	return { ...(await res.json()), wallMs: performance.now() - started };
}

/** Runs the first (sending) sweep on each size, then idle sweeps; compares queries and time. */
export async function sweepScenarios({ startCounting }) {
	const names = ["D1 round trips 10k vs 100 (ratio)", "wall time 10k vs 100"];
	const probe = await startCounting("sweep-probe");
	try {
		if (!(await routeExists(probe, "GET", "/api/subscribers"))) {
			return [unavailable("sweep", names[0], "<= 1", "GET /api/subscribers answers 404 (alerts not merged)"), unavailable("sweep", names[1], "<= 2", "alerts not merged")];
		}
	} finally {
		await probe.dispose();
	}
	const results = {};
	for (const total of [DUE, 10_000]) {
		const server = await startCounting(`sweep-${total}`);
		try {
			await seedSubscribers(server.db, { count: 1000, tagCount: TAGS, now: Date.now() });
			// Warm-up: the same code path with nothing due yet, so the measured run is not the first.
			await sweep(server);
			await createMilestones(server, total);
			const first = await sweep(server);
			const sent = (await server.db.prepare("SELECT count(*) AS n FROM alerts WHERE status = 'sent'").first()).n;
			// Later runs: whatever the first left (a capped run leaves some), then nothing.
			const laterMs = await medianMs(() => sweep(server), 5, 1);
			const last = await sweep(server);
			results[total] = { first, sentByFirst: sent, laterRunsMedianMs: laterMs, lastRunRoundTrips: last.roundTrips };
		} finally {
			await server.dispose();
		}
	}
	const small = results[DUE];
	const large = results[10_000];
	const detail = { milestones_100: small, milestones_10k: large };
	if (small.sentByFirst !== large.sentByFirst) detail.warn = `the two first runs sent different numbers of alerts (${small.sentByFirst} vs ${large.sentByFirst})`;
	return [
		figure("sweep", names[0], large.first.roundTrips / small.first.roundTrips, { max: 1 }, detail),
		figure("sweep", names[1], large.first.wallMs / small.first.wallMs, { max: 2 }, detail),
	];
}
