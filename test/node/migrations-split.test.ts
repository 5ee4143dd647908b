import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { describe, expect, it } from "vitest";

// `wrangler d1 migrations apply --remote` sends each file to D1's query endpoint, which cuts it at
// every `;` whatever surrounds it: in a trigger body, a comment, a string (workers-sdk #4998,
// #14991, #15178). Each piece must then be complete SQL on its own. This applies every migration
// that way, in order, to a fresh SQLite database.

const DIR = "migrations";
const files = readdirSync(DIR)
	.filter((f) => f.endsWith(".sql"))
	.sort();

/** A migration cut as the remote endpoint cuts it: at every `;`, ignoring nothing. */
const remotePieces = (sql: string): string[] => sql.split(";");

/** Applies a file's pieces one by one; the first piece SQLite refuses is thrown with its text. */
function applyAsRemote(db: DatabaseSync, name: string, sql: string) {
	for (const [i, piece] of remotePieces(sql).entries()) {
		try {
			db.exec(piece);
		} catch (e) {
			throw new Error(`${name}, piece ${i + 1}: ${(e as Error).message}\n${piece.trim().slice(0, 200)}`);
		}
	}
}

describe("migrations, split on every `;` as remote D1 does", () => {
	it("apply in order to a fresh database", () => {
		expect(files.length).toBeGreaterThan(0);
		const db = new DatabaseSync(":memory:");
		for (const f of files) applyAsRemote(db, f, readFileSync(join(DIR, f), "utf8"));
		const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all();
		expect(tables.map((t) => t.name)).toContain("incident_hourly");
		expect(db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'trigger'").get()).toEqual({ n: 0 });
	});

	it("refuses a trigger, which the split cuts apart (so the test above can fail)", () => {
		const db = new DatabaseSync(":memory:");
		db.exec("CREATE TABLE t (a INTEGER)");
		const trigger = "CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN\n\tUPDATE t SET a = a + 1;\nEND;\n";
		expect(() => applyAsRemote(db, "trigger.sql", trigger)).toThrow(/incomplete input/);
		expect(() => applyAsRemote(db, "comment.sql", "-- one; two\nCREATE TABLE u (a INTEGER);")).toThrow(/syntax error/);
	});

	it("have no CRLF line endings (reported to break the remote split too)", () => {
		const crlf = files.filter((f) => readFileSync(join(DIR, f), "utf8").includes("\r"));
		expect(crlf).toEqual([]);
	});
});
