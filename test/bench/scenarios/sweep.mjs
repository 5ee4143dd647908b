// The sweep's cost must not grow with idle milestones: 10k milestones (100 due) against 100
// (all due), 1k subscribers each following one of 100 tags, so each due milestone reaches 10.
// Repeated: each round makes 100 more milestones due on both instances and sweeps both, in
// alternating order, so one noisy moment does not decide the figure. Before the rounds, an idle sweep on
// 10k milestones counts its D1 statements (at most 2).
import { adminHeaders, pool, routeExists } from "../lib/probe.mjs";
import { figure, unavailable } from "../lib/report.mjs";
import { seedSubscribers } from "../lib/seed.mjs";

const SWEEP_CRON = "* * * * *";
const DUE = 100;
const IDLE = 9_900;
const TAGS = 100;
// idleSpecs repeats every 240 milestones (20 years × 12 months, and 100 tags): beyond that many, the
// rest are copies of the ones the API wrote, next_check_at included.
const TEMPLATES = 240;
const ROUNDS = Number(process.env.BENCH_SWEEP_ROUNDS ?? 3);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Milestones go through POST /api/milestones so next_check_at is whatever the real code sets. */
async function createMilestones(server, specs) {
	await pool(specs, 16, async (body) => {
		const res = await server.fetch("/api/milestones", {
			method: "POST",
			headers: { ...adminHeaders, "content-type": "application/json" },
			body: JSON.stringify(body),
		});
		if (res.status !== 201) throw new Error(`POST /api/milestones answered ${res.status}: ${await res.text()}`);
	});
}

/** DUE milestones whose P1D threshold is crossed now (due in 12 hours). */
function dueSpecs(round) {
	const soon = new Date(Date.now() + 12 * 3_600_000).toISOString().replace(/\.\d+Z$/, "Z");
	return Array.from({ length: DUE }, (_, i) => ({ title: `Due ${round}-${i}`, slug: `bench-due-${round}-${i}`, due: soon, tags: [`t${i % TAGS}`] }));
}

/** Milestones years away: nothing for the sweep to do, ever, during the run. */
const idleSpecs = (count) =>
	Array.from({ length: count }, (_, i) => ({
		title: `Idle ${i}`,
		slug: `bench-idle-${i}`,
		due: `${2031 + (i % 20)}-${String(1 + (i % 12)).padStart(2, "0")}`,
		tags: [`t${i % TAGS}`],
	}));

/**
 * `count` idle milestones: the first TEMPLATES through the API, the rest copied from them in one
 * statement (100k POSTs would take most of the bench's time), milestone i copying template i mod
 * TEMPLATES, which has the same due (i mod 20, i mod 12) and so the next_check_at the code set.
 */
async function createIdle(server, count) {
	await createMilestones(server, idleSpecs(Math.min(count, TEMPLATES)));
	if (count <= TEMPLATES) return;
	const copied = [
		"description",
		"kind",
		"due",
		"precision",
		"timezone",
		"due_at",
		"status",
		"alert_offsets",
		"slip_count",
		"sequence",
		"next_check_at",
		"created_at",
		"updated_at",
	];
	await server.db
		.prepare(
			`INSERT INTO milestones (slug, title, tags, ${copied.join(", ")})
			WITH RECURSIVE c(i) AS (SELECT ?1 UNION ALL SELECT i + 1 FROM c WHERE i + 1 < ?2),
			t AS (SELECT *, CAST(substr(slug, 12) AS INTEGER) AS k FROM milestones WHERE slug LIKE 'bench-idle-%')
			SELECT 'bench-idle-' || c.i, 'Idle ' || c.i, json_array('t' || (c.i % ${TAGS})), ${copied.map((col) => `t.${col}`).join(", ")}
			FROM c JOIN t ON t.k = c.i % ${TEMPLATES}`,
		)
		.bind(TEMPLATES, count)
		.run();
	const { n } = await server.db.prepare("SELECT count(*) AS n FROM milestones WHERE slug LIKE 'bench-idle-%'").first();
	if (n !== count) throw new Error(`expected ${count} idle milestones, found ${n}`);
}

async function sweep(server) {
	const started = performance.now();
	const res = await server.fetch(`/__bench/scheduled?cron=${encodeURIComponent(SWEEP_CRON)}`, { method: "POST" });
	if (res.status !== 200) throw new Error(`sweep answered ${res.status}: ${await res.text()}`);
	return { ...(await res.json()), wallMs: performance.now() - started };
}

const sentCount = async (server) => (await server.db.prepare("SELECT count(*) AS n FROM alerts WHERE status = 'sent'").first()).n;

/**
 * A sweep in a minute the Worker's clock gives no chore (surges every 10 minutes, pruning every
 * hour, sweep.ts): waits out minutes ending in 0, and the seconds before them.
 */
async function idleSweep(server) {
	for (;;) {
		const now = new Date();
		const minute = now.getUTCMinutes() % 10;
		if (minute !== 0 && !(minute === 9 && now.getUTCSeconds() >= 50)) break;
		await new Promise((resolve) => setTimeout(resolve, 2_000));
	}
	return sweep(server);
}

/**
 * Sweeps with 100 due against 100 due + `idleCount` idle (9,900 unless told); compares D1 round trips and
 * wall time; counts an idle sweep's queries. `size` names the large instance in the figures.
 */
export async function sweepScenarios({ startCounting, idleCount = IDLE, size = "10k", scenario = "sweep" }) {
	const names = [`D1 round trips ${size} vs 100 (ratio)`, `wall time ${size} vs 100`, `idle sweep D1 statements (${size} milestones)`];
	const small = await startCounting(`${scenario}-100`);
	const large = await startCounting(`${scenario}-${size}`);
	try {
		if (!(await routeExists(small, "GET", "/api/subscribers"))) {
			return [
				unavailable(scenario, names[0], "<= 1", "GET /api/subscribers answers 404 (alerts not merged)"),
				unavailable(scenario, names[1], "<= 2", "alerts not merged"),
				unavailable(scenario, names[2], "<= 2", "alerts not merged"),
			];
		}
		for (const server of [small, large]) {
			await seedSubscribers(server.db, { count: 1000, tagCount: TAGS, now: Date.now() });
			await sweep(server); // warm-up: the same code path with nothing due
		}
		await createIdle(large, idleCount);
		// Nothing due yet on the idle milestones and 1k subscribers: the probe, and the run recorded in one insert.
		const idle = await idleSweep(large);
		const rounds = [];
		for (let round = 0; round < ROUNDS; round++) {
			await Promise.all([createMilestones(small, dueSpecs(round)), createMilestones(large, dueSpecs(round))]);
			const order = round % 2 === 0 ? [small, large] : [large, small];
			const result = new Map();
			for (const server of order) result.set(server, await sweep(server));
			const [s, l] = [result.get(small), result.get(large)];
			rounds.push({ small: s, large: l, sentSmall: await sentCount(small), sentLarge: await sentCount(large) });
		}
		const detail = { rounds };
		if (rounds.some((r) => r.sentSmall !== r.sentLarge)) detail.warn = "the two instances have sent different numbers of alerts";
		return [
			figure(scenario, names[0], median(rounds.map((r) => r.large.roundTrips / r.small.roundTrips)), { max: 1 }, detail),
			figure(scenario, names[1], median(rounds.map((r) => r.large.wallMs / r.small.wallMs)), { max: 2 }, detail),
			// A count, not a timing: the same on any machine, so no baseline to divide by.
			figure(scenario, names[2], idle.statements, { max: 2 }, { roundTrips: idle.roundTrips, statements: idle.statements }),
		];
	} finally {
		await Promise.all([small.dispose(), large.dispose()]);
	}
}
