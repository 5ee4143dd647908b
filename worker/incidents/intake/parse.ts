import type { z } from "@hono/zod-openapi";
import { AppError, type FieldError } from "../../http/errors";
import { keepable } from "../../http/json";
import { validationError } from "../../http/openapi";
import { Envelope, IncidentInput, type IncidentInputValue, MAX_BATCH, RetractInput } from "../schema";

/** A message's items as validated, and the JSON path of item `i` for errors. */
export interface Items<T> {
	list: T[];
	at: (i: number) => string;
}

/** What a retraction names of each incident. */
export type RetractItem = z.infer<typeof RetractInput>;

/** A verified message's content: incidents to write, or external ids to retract. */
export type Message =
	| { type: "incident.reported" | "incident.updated"; items: Items<IncidentInputValue> }
	| { type: "incident.retracted"; items: Items<RetractItem> };

/** 422 listing what is wrong with a message's items (at most 100 of them). */
export function itemsError(all: FieldError[]): AppError {
	const errors = all.slice(0, 100);
	return new AppError("validation_failed", `The message is not valid: ${errors.map((e) => `${e.path} ${e.message}`).join("; ")}`.slice(0, 1000), { errors });
}

/** Parses `data` (one item or `{incidents: [...]}`) with `schema`; errors name the item's index and field. */
function readItems<T extends { external_id: string }>(data: Record<string, unknown>, schema: z.ZodType<T>): Items<T> {
	const batch = "incidents" in data;
	const at = (i: number) => (batch ? `/data/incidents/${i}` : "/data");
	if (batch && !Array.isArray(data.incidents)) throw itemsError([{ path: "/data/incidents", message: "must be an array" }]);
	if (batch && Object.keys(data).length > 1) throw itemsError([{ path: "/data", message: "a batch has only `incidents`" }]);
	const raw: unknown[] = Array.isArray(data.incidents) ? data.incidents : [data];
	if (raw.length === 0) throw itemsError([{ path: "/data/incidents", message: "must hold at least one incident" }]);
	if (raw.length > MAX_BATCH) throw itemsError([{ path: "/data/incidents", message: `at most ${MAX_BATCH} incidents per message (got ${raw.length})` }]);
	const errors: FieldError[] = [];
	const list: T[] = [];
	const seen = new Map<string, number>();
	raw.forEach((item, i) => {
		const parsed = schema.safeParse(item);
		if (!parsed.success) {
			for (const e of validationError("json", parsed.error).errors ?? []) errors.push({ path: at(i) + (e.path === "/" ? "" : e.path), message: e.message });
			return;
		}
		const first = seen.get(parsed.data.external_id);
		if (first !== undefined) errors.push({ path: `${at(i)}/external_id`, message: `repeats incident ${first} of this message` });
		else seen.set(parsed.data.external_id, i);
		list.push(parsed.data);
	});
	if (errors.length > 0) throw itemsError(errors);
	return { list, at };
}

/** The envelope, refusing what could not be kept as sent anywhere in it (lone surrogates, `__proto__`). */
const keepableEnvelope = keepable(Envelope);

/** Reads a message body: JSON (400 if not), the Standard Webhooks envelope and its items (422 naming field and index). */
export function readEnvelope(body: string): Message {
	let json: unknown;
	try {
		json = JSON.parse(body);
	} catch {
		throw new AppError("bad_request", "The body is not JSON.");
	}
	const envelope = keepableEnvelope.safeParse(json);
	if (!envelope.success) throw validationError("json", envelope.error);
	const { type, data } = envelope.data;
	return type === "incident.retracted" ? { type, items: readItems(data, RetractInput) } : { type, items: readItems(data, IncidentInput) };
}
