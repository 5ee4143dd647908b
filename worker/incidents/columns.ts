import { z } from "@hono/zod-openapi";
import { type Column, getTableColumns } from "drizzle-orm";
import { type IncidentRow, incidents } from "../db/schema";
import { Timestamp } from "../http/schemas";

// The incidents table (worker/db/schema/incidents.ts) is the one list of an incident's fields, and
// this module gives each column its names elsewhere. A new column, once migrated:
// - is written by the upsert (write.ts): the compiler asks toIncidentRow for its value, unless
//   IncidentInput (schema.ts) has a field of its webhook name; that field is then read from
//   webhooks and the CSV import and copied into it (IncidentInput says what a sender may write);
// - is shown in the API's JSON and its OpenAPI schema under its SQL name (RENAMED gives it
//   another, or `json: null` keeps it out, and out of every read: SHOWN_COLUMNS; GIVEN gives the
//   schema of a JSON column);
// - is in the CSV and GeoJSON exports only once someone decides: VIGIL_COLUMNS (acled.ts) puts it
//   after the columns already there, or NOT_EXPORTED below leaves it out with the reason.
//   test/incidents/columns.test.ts fails until one of the two names it, and pins the JSON keys
//   and the CSV header that clients parse.

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

type Shown = { [K in ColumnKey]: JsonName<K> extends string ? K : never }[ColumnKey];
/** An incident row as every read selects it: the columns the JSON shows, so not `raw`. */
export type ShownRow = Pick<IncidentRow, Shown>;

/** An incident row with its zone and source slugs, as every read returns it. */
export interface IncidentView {
	incident: ShownRow;
	zone: string | null;
	source: string;
}

type Slugs = Omit<IncidentView, "incident">;
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

type ShownNames = Names & { key: Shown; json: keyof IncidentJson };

/** The columns the JSON shows, with their JSON names. */
export const SHOWN = NAMES.filter((n): n is ShownNames => n.json !== null);

/**
 * The columns every incident read selects, by key: those the JSON shows. A column kept out of the
 * JSON is not read either: `raw`, the message as received, is about two thirds of a row's bytes.
 */
export const SHOWN_COLUMNS = Object.fromEntries(SHOWN.map(({ key }) => [key, columns[key]])) as Pick<Columns, Shown>;

/**
 * Shown columns that the CSV and GeoJSON exports leave out, and why. Every other shown column is
 * exported under its ACLED name: ACLED's own in ACLED_COLUMNS, Vigil's in VIGIL_COLUMNS (acled.ts).
 */
export const NOT_EXPORTED = {
	reported_at: "when Vigil first received it: the exports carry the event and its verdict, not Vigil's intake bookkeeping",
	updated_at: "exported as ACLED's `timestamp` (Unix seconds), which ACLED tools already read",
	verification_note: "the admin's free-text reason for a verdict: the exports carry the verdict (`verification`) only",
	retracted_at: "the exports leave out retracted incidents, so it would always be empty",
} as const satisfies { [N in keyof IncidentJson]?: string };

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

/**
 * A read as drizzle's `.values()` answers it for incidentView (queries.ts): the shown columns as D1
 * stores them, in SHOWN's order, then the zone's slug and the source's. The exports read their pages
 * so, with no row object between D1 and the text.
 */
export type ViewValues = readonly unknown[];

/** Where a shown column's stored value is in ViewValues. */
export const valueIndex = (key: Shown): number => SHOWN.findIndex((n) => n.key === key);

type Reader<From> = (from: From) => unknown;

/**
 * How a shown column's JSON value is read, from a view and from its values (decoded as drizzle
 * decodes them): a reference as its slug, an instant in RFC 3339, anything else as it is.
 */
function readersOf({ key, json }: ShownNames, at: number): readonly [Reader<IncidentView>, Reader<ViewValues>] {
	if (json === "source") return [(view) => view.source, (values) => values[SHOWN.length + 1]];
	if (json === "zone") return [(view) => view.zone, (values) => values[SHOWN.length]];
	const column: Column = columns[key];
	const shown = column.dataType === "date" ? (d: unknown) => (d as Date | null)?.toISOString() ?? null : (v: unknown) => v;
	return [(view) => shown(view.incident[key]), (values) => (values[at] === null ? null : shown(column.mapFromDriverValue(values[at])))];
}

/** Made once, so that a row's JSON is a loop of calls. */
const READERS = SHOWN.map((n, at) => [n.json, ...readersOf(n, at)] as const);

/** The public JSON for an incident. */
export function incidentJson(view: IncidentView): IncidentJson {
	const out: Record<string, unknown> = {};
	for (const [name, read] of READERS) out[name] = read(view);
	return out as IncidentJson;
}

/** The same JSON, for an incident read as values. */
export function incidentJsonOfValues(values: ViewValues): IncidentJson {
	const out: Record<string, unknown> = {};
	for (const [name, , read] of READERS) out[name] = read(values);
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
