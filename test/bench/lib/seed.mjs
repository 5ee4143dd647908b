// Seeds what the read scenarios need straight into D1, in multi-row INSERTs sent through
// D1's exec (no bound parameters, so no 100-parameter limit; one statement per line).
import { REBUILD_HOURLY } from "../../support/rebuild-hourly.mjs";

export const EVENT_TYPES = ["Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots", "Strategic developments"];
const VERIFICATIONS = ["unverified", "verified", "rejected"];
const DAY = 86_400_000;
const ROWS_PER_STATEMENT = 80; // D1 caps a statement at 100 KB (SQLITE_TOOBIG); a row with its raw message is about 900 B
const STATEMENTS_PER_EXEC = 10;
// Consecutive incidents land about 2.2 hours apart, wrapping around the 90 days: 1k incidents
// cover them once, 100k about a hundred times over (so ~8% of either fall in the last week).
// (A step of 7,919 ms once packed 100k incidents into 9 days and 1k into 2 hours.)
const SPREAD_STEP_MS = 7_919_000;

/** Zone i's outline: a 0.2° x 0.5° cell of the 1° square the seeded incidents fall in (42-43 E, 33-34 N), so the status map has zones to draw. */
function benchZonePolygon(i) {
	const [w, s] = [42 + (i % 5) * 0.2, 33 + Math.floor(i / 5) * 0.5];
	const ring = [
		[w, s],
		[w + 0.2, s],
		[w + 0.2, s + 0.5],
		[w, s + 0.5],
		[w, s],
	].map(([x, y]) => [Number(x.toFixed(1)), Number(y.toFixed(1))]);
	return JSON.stringify({ type: "Polygon", coordinates: [ring] });
}

/** Ten zones (with outlines) and a webhook source that owns the seeded incidents; returns their ids. */
export async function seedReferenceRows(db, now) {
	const zoneRows = Array.from({ length: 10 }, (_, i) => `('bench-zone-${i}', 'Bench zone ${i}', 'Iraq', 'Al Anbar', '${benchZonePolygon(i)}', ${now})`);
	await db.exec(`INSERT OR IGNORE INTO zones (slug, name, country, admin1, polygon, created_at) VALUES ${zoneRows.join(", ")};`);
	// The secret is not a real ciphertext: nobody signs as this source; it only owns rows.
	await db.exec(`INSERT OR IGNORE INTO sources (slug, name, secret_enc, created_at) VALUES ('bench-seed', 'Bench seed', 'unused', ${now});`);
	const zones = (await db.prepare("SELECT id FROM zones WHERE slug LIKE 'bench-zone-%' ORDER BY id").all()).results.map((r) => r.id);
	const source = await db.prepare("SELECT id FROM sources WHERE slug = 'bench-seed'").first();
	return { zoneIds: zones, sourceId: source.id };
}

const COLUMNS = [
	"source_id",
	"external_id",
	"event_date",
	"occurred_precision",
	"occurred_at",
	"reported_at",
	"updated_at",
	"event_type",
	"sub_event_type",
	"actor1",
	"fatalities",
	"country",
	"admin1",
	"location",
	"latitude",
	"longitude",
	"zone_id",
	"notes",
	"verification",
	"tags",
	"raw",
];
/** The input fields each column holds, as the message that sent it would name them (raw keeps the message). */
const INPUT_FIELDS = {
	1: "external_id",
	2: "event_date",
	7: "event_type",
	8: "sub_event_type",
	9: "actor1",
	10: "fatalities",
	11: "country",
	12: "admin1",
	13: "location",
	14: "latitude",
	15: "longitude",
	17: "notes",
};
// Rows per INSERT … SELECT FROM json_each(?): ~330 KB of JSON, under MAX_JSON_CHARS (worker/db/json-rows.ts) (D1 caps a value at 2 MB).
const ROWS_PER_JSON = 500;
const JSON_STATEMENTS_PER_BATCH = 10;

/** When incident n occurred: spread over the 90 days before `now`, recent ones included. */
const occurredAt = (n, now) => now - ((n * SPREAD_STEP_MS) % (90 * DAY));

/** Incident n's column values, in COLUMNS order; `raw` is the incident as a webhook would have sent it, as intake keeps it. */
function incidentRow(n, { sourceId, zoneIds, now }) {
	const occurred = occurredAt(n, now);
	const reported = occurred + 3_600_000;
	const row = [
		sourceId,
		`seed-${n}`,
		new Date(occurred).toISOString().slice(0, 10),
		"day",
		occurred,
		reported,
		reported,
		EVENT_TYPES[n % EVENT_TYPES.length],
		"Armed clash",
		`Actor ${n % 50}`,
		n % 7,
		"Iraq",
		"Al Anbar",
		`Place ${n % 300}`,
		Number((33 + (n % 1000) / 1000).toFixed(4)),
		Number((42 + (n % 997) / 1000).toFixed(4)),
		zoneIds[n % zoneIds.length],
		`Seeded incident ${n} for the benchmark`,
		VERIFICATIONS[n % 3],
		'["bench"]',
	];
	const raw = Object.fromEntries(Object.entries(INPUT_FIELDS).map(([i, field]) => [field, row[i]]));
	row.push(JSON.stringify({ ...raw, zone: `bench-zone-${n % zoneIds.length}`, tags: ["bench"] }));
	return row;
}

const literal = (v) => (typeof v === "number" ? String(v) : `'${v.replaceAll("'", "''")}'`);

/** Inserts incidents numbered [from, to) for the seed source as SQL literals; returns how many rows exist then. */
export async function seedIncidents(db, { from, to, sourceId, zoneIds, now }) {
	const statements = [];
	for (let start = from; start < to; start += ROWS_PER_STATEMENT) {
		const rows = [];
		for (let n = start; n < Math.min(to, start + ROWS_PER_STATEMENT); n++) rows.push(`(${incidentRow(n, { sourceId, zoneIds, now }).map(literal).join(", ")})`);
		statements.push(`INSERT INTO incidents (${COLUMNS.join(", ")}) VALUES ${rows.join(", ")};`);
	}
	for (let i = 0; i < statements.length; i += STATEMENTS_PER_EXEC) await db.exec(statements.slice(i, i + STATEMENTS_PER_EXEC).join("\n"));
	return finishSeed(db);
}

/**
 * The same incidents as seedIncidents, the way intake writes them: each statement an INSERT … SELECT
 * over one JSON parameter (json_each), ten statements a D1 batch. They go in in the order they
 * occurred, as a feed delivers them: in n order each row lands on a random page of every index on
 * occurred_at, and past a few hundred thousand rows the inserts wait on pages, not on work.
 * Answers the row count and the insert rate (rows/s, the hourly rebuild and ANALYZE apart).
 */
export async function seedIncidentsJson(db, { from, to, sourceId, zoneIds, now }) {
	const insert = `INSERT INTO incidents (${COLUMNS.join(", ")}) SELECT ${COLUMNS.map((_, i) => `j.value ->> ${i}`).join(", ")} FROM json_each(?1) AS j`;
	const order = Uint32Array.from({ length: to - from }, (_, i) => from + i).sort((a, b) => occurredAt(a, now) - occurredAt(b, now));
	const started = performance.now();
	let batch = [];
	for (let i = 0; i < order.length; i += ROWS_PER_JSON) {
		const rows = Array.from(order.subarray(i, i + ROWS_PER_JSON), (n) => incidentRow(n, { sourceId, zoneIds, now }));
		batch.push(db.prepare(insert).bind(JSON.stringify(rows)));
		if (batch.length === JSON_STATEMENTS_PER_BATCH) {
			await db.batch(batch);
			batch = [];
		}
	}
	if (batch.length > 0) await db.batch(batch);
	const insertSeconds = (performance.now() - started) / 1000;
	const total = await finishSeed(db);
	return { total, insertSeconds, rowsPerSecond: (to - from) / insertSeconds, allSeconds: (performance.now() - started) / 1000 };
}

/** Worker writes keep incident_hourly in their own batch; rows inserted here need the rebuild. Then fresh planner statistics. */
async function finishSeed(db) {
	await db.exec(REBUILD_HOURLY);
	await db.exec("ANALYZE;");
	return (await db.prepare("SELECT count(*) AS n FROM incidents").first()).n;
}

/** `count` subscribers; subscriber i follows tag `t<i mod tagCount>`, so each tag reaches count/tagCount people. */
export async function seedSubscribers(db, { count, tagCount, now }) {
	const rows = Array.from(
		{ length: count },
		(_, i) => `('bench-${i}@example.org', 'Bench ${i}', '[]', '["t${i % tagCount}"]', 0, 'bench-unsub-${i}-${now}', ${now})`,
	);
	for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
		await db.exec(
			`INSERT INTO subscribers (email, name, zones, tags, digest, unsubscribe_token, created_at) VALUES ${rows.slice(i, i + ROWS_PER_STATEMENT).join(", ")};`,
		);
	}
}
