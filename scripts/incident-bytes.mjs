// How many bytes of D1 an incident takes, indexes included: the migrations applied to a fresh
// SQLite file (D1 is SQLite), N incidents shaped as a webhook writes them (ACLED-style fields, a
// few hundred characters of notes, the raw payload kept as sent), incident_hourly rebuilt, VACUUM,
// then file size / N. Also times a retention batch (RETENTION_BATCH oldest rows deleted by id).
// Run: PATH=$PWD/node_modules/node/bin:$PATH node scripts/incident-bytes.mjs [N]   (Node 22, node:sqlite)
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { REBUILD_HOURLY } from "../test/support/rebuild-hourly.mjs";

const N = Number(process.argv[2] ?? 100_000);
const BATCH = 500;
const dir = mkdtempSync(join(tmpdir(), "vigil-bytes-"));
const file = join(dir, "d1.sqlite");
const db = new DatabaseSync(file);

const migrations = new URL("../migrations/", import.meta.url);
for (const name of readdirSync(migrations)
	.filter((f) => f.endsWith(".sql"))
	.sort()) {
	for (const part of readFileSync(new URL(name, migrations), "utf8").split("--> statement-breakpoint")) if (part.trim()) db.exec(part);
}
db.exec("INSERT INTO sources (slug, name, secret_enc) VALUES ('desk', 'Desk', 'x')");
db.exec("INSERT INTO zones (slug, name) VALUES ('a', 'A'), ('b', 'B'), ('c', 'C')");

const TYPES = ["Battles", "Explosions/Remote violence", "Violence against civilians", "Strategic developments"];
const SUBTYPES = ["Armed clash", "Remote explosive/landmine/IED", "Attack", "Arrests"];
const ACTORS = ["Islamic State (Iraq)", "Military Forces of Iraq (2022-)", "Popular Mobilization Forces", "Unidentified Armed Group (Iraq)"];
const PLACES = ["Rutba", "Wadi Hauran", "Tuz Khurmatu", "Jalawla", "Al Qaim", "Haditha"];
const HOUR = 3_600_000;
const start = Date.UTC(2025, 0, 1);

const insert = db.prepare(
	`INSERT INTO incidents (source_id, external_id, event_date, occurred_precision, occurred_at, reported_at, updated_at, event_type,
	sub_event_type, actor1, actor2, fatalities, country, admin1, location, latitude, longitude, zone_id, notes, report_source, source_url,
	tags, verification, raw) VALUES (1, ?, ?, 'day', ?, ?, ?, ?, ?, ?, ?, ?, 'Iraq', 'Al Anbar', ?, ?, ?, ?, ?, 'Shafaq News', ?, ?, ?, ?)`,
);
db.exec("BEGIN");
for (let i = 0; i < N; i++) {
	// A year of a desk taking N incidents, in order of occurrence.
	const at = start + Math.floor((i * 365 * 24 * HOUR) / N);
	const day = new Date(at).toISOString().slice(0, 10);
	const input = {
		external_id: `IRQ${100000 + i}`,
		event_date: day,
		event_type: TYPES[i % 4],
		sub_event_type: SUBTYPES[i % 4],
		actor1: ACTORS[i % 4],
		actor2: ACTORS[(i + 1) % 4],
		country: "Iraq",
		admin1: "Al Anbar",
		location: PLACES[i % 6],
		latitude: 33 + (i % 1000) / 1000,
		longitude: 40 + (i % 997) / 1000,
		fatalities: i % 5,
		notes: `On ${day}, ${ACTORS[i % 4]} attacked a checkpoint of ${ACTORS[(i + 1) % 4]} near ${PLACES[i % 6]}, wounding ${i % 5} members; the group claimed the attack the next day. Security sources said a search operation followed in the surrounding desert.`,
		source: "Shafaq News",
		source_url: `https://shafaq.com/en/Security/report-${100000 + i}`,
		tags: ["isis", "anbar"],
	};
	insert.run(
		input.external_id,
		day,
		at,
		at + HOUR,
		at + HOUR,
		input.event_type,
		input.sub_event_type,
		input.actor1,
		input.actor2,
		input.fatalities,
		input.location,
		input.latitude,
		input.longitude,
		(i % 4) + 1 > 3 ? null : (i % 4) + 1,
		input.notes,
		input.source_url,
		JSON.stringify(input.tags),
		i % 10 === 0 ? "verified" : "unverified",
		JSON.stringify(input),
	);
}
db.exec("COMMIT");
db.exec(REBUILD_HOURLY);
db.exec("ANALYZE; VACUUM;");
const bytes = statSync(file).size;
const perIncident = bytes / N;
console.log(`${N} incidents: ${(bytes / 2 ** 20).toFixed(1)} MiB, ${Math.round(perIncident)} bytes per incident`);
const raw = db.prepare("SELECT avg(length(raw)) AS raw, avg(length(notes)) AS notes FROM incidents").get();
console.log(`of which the raw payload is ${Math.round(raw.raw)} bytes and the notes ${Math.round(raw.notes)}, before the indexes`);
console.log(`10 GB (D1's limit) holds about ${Math.floor(10e9 / perIncident / 1e6)} million such incidents`);

// A retention batch: the oldest BATCH ids, as the sweep picks them, deleted in one transaction.
const ids = db.prepare(`SELECT id FROM incidents ORDER BY occurred_at LIMIT ${BATCH}`).all();
const began = performance.now();
db.exec("BEGIN");
db.prepare("DELETE FROM incidents WHERE id IN (SELECT value FROM json_each(?))").run(JSON.stringify(ids.map((r) => r.id)));
db.exec("COMMIT");
console.log(`deleting ${BATCH} incidents by id: ${(performance.now() - began).toFixed(1)} ms`);
db.close();
rmSync(dir, { recursive: true });
