// The sweep's cost for channels must grow no faster than what is due: 1,000 webhook channels with
// 1,000 due alerts (one each) against 10 channels with 10, every delivery answered 200 at once by a
// local receiver. A sweep sends at most ROWS_PER_RUN (200) rows, so 1,000 alerts take several
// runs: the figure is a full drain, the sweeps from the one that plans the alerts until none is
// pending, their wall time and D1 round trips summed and divided by the alerts drained. Repeated
// in alternating order like the milestone sweep; the median round decides.
import { adminHeaders, pool } from "../lib/probe.mjs";
import { startReceiver } from "../lib/receiver.mjs";
import { figure, info } from "../lib/report.mjs";

const SWEEP_CRON = "* * * * *";
const SMALL = 10;
const LARGE = 1_000;
const ROUNDS = Number(process.env.BENCH_SWEEP_ROUNDS ?? 3);
/** More runs than a drain of LARGE needs (5 at 200 a run): a drain that never ends is reported, not waited out. */
const MAX_RUNS = 20;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function post(server, path, body) {
	const res = await server.fetch(path, { method: "POST", headers: { ...adminHeaders, "content-type": "application/json" }, body: JSON.stringify(body) });
	if (res.status !== 201) throw new Error(`POST ${path} answered ${res.status}: ${await res.text()}`);
}

/** One milestone years away per tag `c<i>`: a channel may follow only a tag some milestone has, and these are never due. */
const createTagged = (server, count) =>
	pool(
		Array.from({ length: count }, (_, i) => i),
		16,
		(i) => post(server, "/api/milestones", { title: `Later ${i}`, slug: `bench-chan-later-${i}`, due: `${2031 + (i % 20)}-06`, tags: [`c${i}`] }),
	);

/** `count` webhook channels, channel i following tag `c<i>` and delivering to the receiver. */
const createChannels = (server, receiverUrl, count) =>
	pool(
		Array.from({ length: count }, (_, i) => i),
		16,
		(i) => post(server, "/api/channels", { kind: "webhook", name: `Bench ${i}`, url: `${receiverUrl}/hook/${i}`, tags: [`c${i}`] }),
	);

/** `count` milestones due in 12 hours (their P1D threshold crossed now), milestone i tagged `c<i>`: one alert per channel. */
function createDue(server, count, round) {
	const soon = new Date(Date.now() + 12 * 3_600_000).toISOString().replace(/\.\d+Z$/, "Z");
	return pool(
		Array.from({ length: count }, (_, i) => i),
		16,
		(i) => post(server, "/api/milestones", { title: `Due ${round}-${i}`, slug: `bench-chan-${round}-${i}`, due: soon, tags: [`c${i}`] }),
	);
}

async function sweepOnce(server) {
	const started = performance.now();
	const res = await server.fetch(`/__bench/scheduled?cron=${encodeURIComponent(SWEEP_CRON)}`, { method: "POST" });
	if (res.status !== 200) throw new Error(`sweep answered ${res.status}: ${await res.text()}`);
	return { ...(await res.json()), wallMs: performance.now() - started };
}

const pendingCount = async (server) => (await server.db.prepare("SELECT count(*) AS n FROM alerts WHERE status = 'pending'").first()).n;

/** Sweeps until nothing is pending; answers the runs, their summed wall time and round trips. */
async function drain(server) {
	const runs = [];
	do runs.push(await sweepOnce(server));
	while ((await pendingCount(server)) > 0 && runs.length < MAX_RUNS);
	const sum = (key) => runs.reduce((n, r) => n + r[key], 0);
	return { runs: runs.length, wallMs: sum("wallMs"), roundTrips: sum("roundTrips"), statements: sum("statements"), left: await pendingCount(server) };
}

/** A full drain of 1,000 due alerts to 1,000 channels against 10 to 10: per-alert wall time and round trips. */
export async function channelSweepScenarios({ startCounting }) {
	const receiver = await startReceiver();
	const small = await startCounting("sweep-channels-10");
	const large = await startCounting("sweep-channels-1k");
	const sizes = new Map([
		[small, SMALL],
		[large, LARGE],
	]);
	try {
		for (const [server, n] of sizes) {
			await createTagged(server, n);
			await createChannels(server, receiver.url, n);
			await sweepOnce(server); // warm-up: the same code path with nothing due
		}
		const rounds = [];
		for (let round = 0; round < ROUNDS; round++) {
			await Promise.all([createDue(small, SMALL, round), createDue(large, LARGE, round)]);
			const order = round % 2 === 0 ? [small, large] : [large, small];
			const result = new Map();
			for (const server of order) result.set(server, await drain(server));
			rounds.push({ small: result.get(small), large: result.get(large), received: receiver.received() });
		}
		const perAlert = (r, key) => r.large[key] / LARGE / (r.small[key] / SMALL);
		const detail = { rounds };
		const expected = (SMALL + LARGE) * ROUNDS;
		if (receiver.received() !== expected || rounds.some((r) => r.small.left + r.large.left > 0)) {
			detail.warn = `the receiver got ${receiver.received()} deliveries, expected ${expected}; or a drain left alerts pending`;
		}
		const largeRun = rounds.map((r) => r.large);
		return [
			figure("sweep channels", "wall time per due alert 1k vs 10 (full drain)", median(rounds.map((r) => perAlert(r, "wallMs"))), { max: 1.5 }, detail),
			figure("sweep channels", "D1 round trips per due alert 1k vs 10", median(rounds.map((r) => perAlert(r, "roundTrips"))), { max: 1 }, detail),
			info("sweep channels", "drain of 1k: ms per alert (absolute, median)", median(largeRun.map((r) => r.wallMs / LARGE)), {
				runs: largeRun.map((r) => r.runs),
			}),
		];
	} finally {
		await Promise.all([small.dispose(), large.dispose(), receiver.stop()]);
	}
}
