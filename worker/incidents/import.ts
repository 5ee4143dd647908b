import { z } from "@hono/zod-openapi";
import Papa from "papaparse";
import type { Db } from "../db/client";
import type { SourceRow } from "../db/schema";
import { AppError } from "../http/errors";
import { validationError } from "../http/openapi";
import { loadZoneShapes } from "../zones";
import { csvLine } from "./acled";
import { type ImportResultJson, INPUT_COLUMNS, IncidentInput } from "./schema";
import { type NewIncident, toIncidentRow, writeIncidents } from "./write";

/** Rows written per D1 batch; each batch is all-or-nothing, rows are validated before. */
export const IMPORT_CHUNK = 300;
/** Rows per request: keeps parsing and writing well inside a Worker's CPU and memory limits. */
export const MAX_IMPORT_ROWS = 20_000;
const MAX_REPORTED_ERRORS = 1000;

type CsvRow = Record<string, string | undefined>;
type Field = keyof typeof IncidentInput.shape;

const text = (v: string | undefined) => {
	const t = v?.trim();
	return t ? t : undefined;
};

/** How a cell reads as the field's value: a number, a `;`-separated list, or trimmed text; an empty cell is absent. */
function readerOf(schema: z.ZodType): (cell: string | undefined) => unknown {
	const base = schema instanceof z.ZodOptional || schema instanceof z.ZodDefault ? schema.unwrap() : schema;
	if (base instanceof z.ZodNumber) {
		return (cell) => {
			const t = text(cell);
			return t === undefined ? undefined : Number(t);
		};
	}
	if (base instanceof z.ZodArray) {
		// ACLED's tags are free text ("crowd size=no report"); only the items the field accepts are kept.
		return (cell) =>
			text(cell)
				?.split(";")
				.map((t) => t.trim().replace(/\s+/g, "-"))
				.filter((t) => t && z.safeParse(base.element, t).success);
	}
	return text;
}

/** Each input field with the CSV column it is read from (its ACLED name, see columns.ts) and how. */
const FIELDS = INPUT_COLUMNS.map(({ field, acled }) => {
	const schema: z.ZodType = IncidentInput.shape[field];
	return { field, column: acled, read: readerOf(schema), required: !schema.safeParse(undefined).success };
});

/** An ACLED CSV record as Vigil's incident input: each field from its column, empty cells left out. */
export function acledRowToInput(row: CsvRow): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const { field, column, read } of FIELDS) {
		const value = read(row[column]);
		if (value !== undefined) out[field] = value;
	}
	return out;
}

const cellOf = (value: unknown) => (Array.isArray(value) ? value.join(";") : typeof value === "string" || typeof value === "number" ? value : null);

/** Incident inputs as the ACLED CSV that importAcledCsv reads: a column for each field any of them has. */
export function acledCsv(inputs: readonly Partial<Record<Field, unknown>>[]): string {
	const used = FIELDS.filter(({ field }) => inputs.some((input) => input[field] !== undefined));
	return csvLine(used.map((f) => f.column)) + inputs.map((input) => csvLine(used.map(({ field }) => cellOf(input[field])))).join("");
}

const utf8 = (fatal: boolean) => new TextDecoder("utf-8", { fatal, ignoreBOM: false });

/**
 * The CSV file as text, or 422 naming the row and column of its first byte that is not UTF-8.
 * Decoding would silently turn such bytes (a Latin-1 file, a lone surrogate written as CESU-8)
 * into U+FFFD, and the import would store text that is not what the file says.
 */
export function csvText(bytes: Uint8Array): string {
	try {
		return utf8(true).decode(bytes);
	} catch {
		// The shortest prefix that does not decode ends in the first bad sequence (stream: a prefix may cut a good one).
		let lo = 0;
		let hi = bytes.length;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			try {
				utf8(true).decode(bytes.subarray(0, mid), { stream: true });
				lo = mid + 1;
			} catch {
				hi = mid;
			}
		}
		const before = utf8(false).decode(bytes.subarray(0, lo - 1));
		const rows = Papa.parse<string[]>(before.replace(/^\uFEFF/, ""), { delimiter: ",", skipEmptyLines: "greedy" }).data;
		// A prefix that ends a line leaves the bad byte at the start of the next row.
		const atRowStart = before === "" || before.endsWith("\n");
		const row = atRowStart ? rows.length : rows.length - 1;
		const column = atRowStart ? 0 : (rows.at(-1)?.length ?? 1) - 1;
		const name = row === 0 ? "columns" : `rows/${row}/${rows[0]?.[column]?.trim().toLowerCase() ?? column + 1}`;
		const message = "is not UTF-8 text (save the file as UTF-8)";
		throw new AppError("validation_failed", `The CSV is not valid UTF-8: /${name} ${message}.`, { errors: [{ path: `/${name}`, message }] });
	}
}

/**
 * POST /api/incidents/import: parses an ACLED-format CSV (PapaParse, header row), validates
 * every row, then upserts the good ones by event_id_cnty in D1 batches of IMPORT_CHUNK.
 * Bad rows are reported with their reasons and skipped; a repeated event_id_cnty is rejected.
 */
export async function importAcledCsv(db: Db, source: SourceRow, csv: string, now: Date): Promise<ImportResultJson> {
	const parsed = Papa.parse<CsvRow>(csv.replace(/^\uFEFF/, ""), {
		header: true,
		delimiter: ",",
		skipEmptyLines: "greedy",
		transformHeader: (h) => h.trim().toLowerCase(),
	});
	const fields = parsed.meta.fields ?? [];
	const missing = FIELDS.filter((f) => f.required && !fields.includes(f.column)).map((f) => f.column);
	if (missing.length > 0) {
		throw new AppError("validation_failed", `The CSV lacks ACLED columns: ${missing.join(", ")}.`, {
			errors: missing.map((c) => ({ path: `/columns/${c}`, message: "required column" })),
		});
	}
	if (parsed.data.length > MAX_IMPORT_ROWS) throw new AppError("payload_too_large", `At most ${MAX_IMPORT_ROWS} rows per import; split the file.`);

	const errors: ImportResultJson["errors"] = [];
	const reject = (row: number, id: string | undefined, reasons: string[]) => {
		if (errors.length < MAX_REPORTED_ERRORS) errors.push({ row, event_id_cnty: id ?? null, reasons });
	};
	for (const e of parsed.errors) if (e.row !== undefined) reject(e.row + 1, undefined, [`CSV: ${e.message}`]);
	const badRows = new Set(parsed.errors.flatMap((e) => (e.row === undefined ? [] : [e.row])));

	const shapes = await loadZoneShapes(db);
	const rows: NewIncident[] = [];
	const seen = new Map<string, number>();
	let rejected = badRows.size;
	for (const [i, record] of parsed.data.entries()) {
		if (badRows.has(i)) continue;
		const values = acledRowToInput(record);
		const input = IncidentInput.safeParse(values);
		const id = typeof values.external_id === "string" ? values.external_id : undefined;
		if (!input.success) {
			rejected++;
			reject(
				i + 1,
				id,
				(validationError("json", input.error).errors ?? []).map((e) => `${e.path.slice(1) || "row"}: ${e.message}`),
			);
			continue;
		}
		const first = seen.get(input.data.external_id);
		if (first !== undefined) {
			rejected++;
			reject(i + 1, id, [`event_id_cnty repeats row ${first}`]);
			continue;
		}
		seen.set(input.data.external_id, i + 1);
		const result = toIncidentRow(input.data, source.id, shapes, now);
		if ("errors" in result) {
			rejected++;
			reject(
				i + 1,
				id,
				result.errors.map((e) => `${e.path.slice(1)}: ${e.message}`),
			);
			continue;
		}
		rows.push(result.row);
	}

	let created = 0;
	let updated = 0;
	for (let i = 0; i < rows.length; i += IMPORT_CHUNK) {
		const written = await writeIncidents(db, rows.slice(i, i + IMPORT_CHUNK));
		created += written.created;
		updated += written.updated;
	}
	return { created, updated, rejected, errors };
}
