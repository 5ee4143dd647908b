import Papa from "papaparse";
import type { Db } from "../db/client";
import type { SourceRow } from "../db/schema";
import { AppError } from "../http/errors";
import { validationError } from "../http/openapi";
import { Tag } from "../http/schemas";
import { type ImportResultJson, IncidentInput } from "./schema";
import { loadZoneShapes, type NewIncident, toIncidentRow, writeIncidents } from "./write";

/** Rows written per D1 batch; each batch is all-or-nothing, rows are validated before. */
export const IMPORT_CHUNK = 300;
/** Rows per request: keeps parsing and writing well inside a Worker's CPU and memory limits. */
export const MAX_IMPORT_ROWS = 20_000;
const MAX_REPORTED_ERRORS = 1000;

const REQUIRED = ["event_id_cnty", "event_date", "event_type"] as const;

type CsvRow = Record<string, string | undefined>;

const text = (v: string | undefined) => {
	const t = v?.trim();
	return t ? t : undefined;
};
const number = (v: string | undefined) => (text(v) === undefined ? undefined : Number(text(v)));

/** An ACLED CSV record as Vigil's incident input (ACLED's names map one to one; tags are `;`-separated). */
export function acledRowToInput(row: CsvRow): Record<string, unknown> {
	const tags = text(row.tags)
		?.split(";")
		.map((t) => t.trim())
		.filter(Boolean);
	const fatalities = number(row.fatalities);
	const out: Record<string, unknown> = {
		external_id: text(row.event_id_cnty),
		event_date: text(row.event_date),
		event_type: text(row.event_type),
		sub_event_type: text(row.sub_event_type),
		actor1: text(row.actor1),
		actor2: text(row.actor2),
		country: text(row.country),
		admin1: text(row.admin1),
		location: text(row.location),
		latitude: number(row.latitude),
		longitude: number(row.longitude),
		fatalities: fatalities ?? 0,
		notes: text(row.notes),
		source: text(row.source),
		source_url: text(row.source_url),
		zone: text(row.zone),
		// ACLED's tags are free text ("crowd size=no report"); only those that are valid Vigil tags are kept.
		tags: tags?.map((t) => t.replace(/\s+/g, "-")).filter((t) => Tag.safeParse(t).success),
	};
	for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
	return out;
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
	const missing = REQUIRED.filter((c) => !fields.includes(c));
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
		const input = IncidentInput.safeParse(acledRowToInput(record));
		const id = text(record.event_id_cnty);
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
		const written = await writeIncidents(db, rows.slice(i, i + IMPORT_CHUNK), now);
		created += written.created;
		updated += written.updated;
	}
	return { created, updated, rejected, errors };
}
