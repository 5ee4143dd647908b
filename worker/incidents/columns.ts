import { z } from "@hono/zod-openapi";
import { type Column, getTableColumns } from "drizzle-orm";
import { type IncidentRow, incidents } from "../db/schema";
import { Timestamp } from "../http/schemas";

// The incidents table (worker/db/schema/incidents.ts) is the one list of an incident's fields. The API's
// JSON, the CSV and GeoJSON exports, the CSV import, the webhook and the upsert all read it
// through this module, so a new column shows up in each of them by its name. What names a
// column by hand is what cannot be read from the table: IncidentInput (what a sender may write,
// and its limits), RENAMED below, VIGIL_COLUMNS (where Vigil's own CSV columns go) and examples.

const columns = getTableColumns(incidents);
type Columns = typeof columns;
type ColumnKey = keyof Columns;

interface Renaming {
	/** Its key in the API's JSON; null keeps the column out of it. */
	json?: string | null;
	/** Its name in the CSV export, GeoJSON and the CSV import: ACLED's column, or one of Vigil's. */
	acled?: string;
	/** Its field in a webhook message. */
	webhook?: string;
}

/**
 * The one table of names that differ. A field goes by its column's name in the JSON; by its
 * JSON name in the exports and the import unless `acled` says otherwise; and in a webhook by
 * that ACLED name unless `webhook` says otherwise.
 */
const RENAMED = {
	id: { acled: "vigil_id" },
	// Shown as the slugs of the source and the zone, which is what clients filter by.
	sourceId: { json: "source", acled: "vigil_source" },
	zoneId: { json: "zone" },
	externalId: { acled: "event_id_cnty", webhook: "external_id" },
	// ACLED's `source` is who reported the event (outlets), not the webhook sender.
	reportSource: { acled: "source" },
	// The message as received, kept to audit what a sender sent; no reader needs it.
	raw: { json: null },
} as const satisfies { [K in ColumnKey]?: Renaming };

type Renamed = typeof RENAMED;
type Option<K extends ColumnKey, P extends keyof Renaming, Else> = K extends keyof Renamed ? (P extends keyof Renamed[K] ? Renamed[K][P] : Else) : Else;
type JsonName<K extends ColumnKey> = Option<K, "json", Columns[K]["_"]["name"]>;
type AcledName<K extends ColumnKey> = Option<K, "acled", JsonName<K>>;
type WebhookName<K extends ColumnKey> = Option<K, "webhook", AcledName<K>>;
/** The column a webhook field is stored in. */
export type ColumnOf<W extends string> = { [K in ColumnKey]: WebhookName<K> extends W ? K : never }[ColumnKey];

/** An incident row with its zone and source slugs, as every read returns it. */
export interface IncidentView {
	incident: IncidentRow;
	zone: string | null;
	source: string;
}

type Slugs = Omit<IncidentView, "incident">;
type Shown = { [K in ColumnKey]: JsonName<K> extends string ? K : never }[ColumnKey];
type JsonValue<T> = T extends Date ? string : T;
/** An incident as the API shows it: each column under its JSON name, instants as RFC 3339, zone and source as slugs. */
export type IncidentJson = { [K in Shown as JsonName<K>]: JsonName<K> extends keyof Slugs ? Slugs[JsonName<K>] : JsonValue<IncidentRow[K]> };

/** A column's key in the table and its names outside it (null where it has none). */
export interface Names {
	key: ColumnKey;
	json: keyof IncidentJson | null;
	acled: string | null;
	webhook: string | null;
}

const renamings: { [K in ColumnKey]?: Renaming } = RENAMED;

/** Every column's names, in the table's order. */
export const NAMES: readonly Names[] = (Object.keys(columns) as ColumnKey[]).map((key) => {
	const r = renamings[key] ?? {};
	// Cast: JsonName<K> above computes the same name for the types.
	const json = (r.json === undefined ? columns[key].name : r.json) as keyof IncidentJson | null;
	const acled = r.acled ?? json;
	return { key, json, acled, webhook: r.webhook ?? acled };
});

for (const space of ["json", "acled", "webhook"] as const) {
	const taken = NAMES.map((n) => n[space]).filter((n) => n !== null);
	const twice = taken.find((n, i) => taken.indexOf(n) !== i);
	if (twice) throw new Error(`Two incident columns are called "${twice}" (${space}): rename one in RENAMED.`);
}

type ShownNames = Names & { json: keyof IncidentJson };

/** The columns the JSON shows, with their JSON names. */
export const SHOWN = NAMES.filter((n): n is ShownNames => n.json !== null);

/** An input field, the column it is stored in, and that column's name in CSV files (its ACLED name). */
export interface FieldColumn<F extends string = string> {
	field: F;
	key: ColumnKey;
	acled: string;
}

/**
 * Each input field (IncidentInput's, in schema.ts, which this module cannot import: schema.ts imports
 * it) with the column whose webhook name it is; throws for a field that no column stores.
 */
export function fieldColumns<F extends string>(fields: readonly F[]): FieldColumn<F>[] {
	return fields.map((field) => {
		const names = NAMES.find((n) => n.webhook === field);
		if (!names?.acled) throw new Error(`IncidentInput.${field} is stored in no incident column`);
		return { field, key: names.key, acled: names.acled };
	});
}

/** How a shown column's JSON value is read from a view: a reference as its slug, an instant in RFC 3339. */
function readerOf({ key, json }: ShownNames): (view: IncidentView) => unknown {
	if (json === "source") return (view) => view.source;
	if (json === "zone") return (view) => view.zone;
	if (columns[key].dataType === "date") return (view) => (view.incident[key] as Date | null)?.toISOString() ?? null;
	return (view) => view.incident[key];
}

/** Made once, so that a row's JSON is a loop of calls. */
const READERS = SHOWN.map((n) => [n.json, readerOf(n)] as const);

/** The public JSON for an incident. */
export function incidentJson(view: IncidentView): IncidentJson {
	const out: Record<string, unknown> = {};
	for (const [name, read] of READERS) out[name] = read(view);
	return out as IncidentJson;
}

/** The schema of a column's JSON value, read from its type; JSON columns say theirs in GIVEN. */
function columnSchema(column: Column): z.ZodType {
	const schema =
		column.dataType === "date"
			? Timestamp
			: column.enumValues?.length
				? z.enum(column.enumValues as [string, ...string[]])
				: column.columnType === "SQLiteInteger"
					? z.number().int()
					: column.dataType === "number"
						? z.number()
						: column.dataType === "string"
							? z.string()
							: null;
	if (!schema) throw new Error(`incidents.${column.name} is a ${column.columnType}: give its JSON schema in columns.ts`);
	return column.notNull ? schema : schema.nullable();
}

type IncidentShape = { [N in keyof IncidentJson]-?: z.ZodType<IncidentJson[N]> };

/** JSON values the column's type does not tell (slugs, JSON text), and descriptions. */
const GIVEN: Partial<IncidentShape> = {
	source: z.string().openapi({ description: "The webhook source's slug" }),
	zone: z.string().nullable(),
	report_source: z.string().nullable().openapi({ description: "ACLED `source` as sent" }),
	tags: z.array(z.string()),
};

/** An incident as the API shows it: zone and source as slugs. */
export const Incident = z
	.object(Object.fromEntries(SHOWN.map(({ key, json }) => [json, GIVEN[json] ?? columnSchema(columns[key])])) as IncidentShape)
	.openapi("Incident");
