import { z } from "@hono/zod-openapi";
import { LANGUAGES } from "../i18n";
import { AppError, type ErrorCode, type FieldError, problemBody } from "./errors";

/** RFC 9457 problem details, as every 4xx/5xx answers. */
export const Problem = z
	.object({
		type: z.string().openapi({ example: "urn:vigil:problem:validation_failed" }),
		title: z.string().openapi({ example: "Validation failed" }),
		status: z.number().int().openapi({ example: 422 }),
		detail: z.string().openapi({ example: "The request body is not valid." }),
		errors: z.array(z.object({ path: z.string().openapi({ example: "/due" }), message: z.string() })).optional(),
	})
	.openapi("Problem");

/** A problem+json response whose example is rendered by the same problemBody() that serves errors. */
export const problem = (description: string, code: ErrorCode, detail: string, errors?: FieldError[]) => ({
	description,
	content: { "application/problem+json": { schema: Problem, example: problemBody(new AppError(code, detail, { errors })) } },
});

/** Error responses shared by every route, keyed by status, each with an example. */
export const errorResponses = {
	400: problem("Malformed request (bad JSON, query or cursor)", "bad_request", "The query is not valid: /limit is over 200", [
		{ path: "/limit", message: "over 200" },
	]),
	401: problem("Missing or wrong bearer token", "unauthorized", "This endpoint needs the admin bearer token."),
	404: problem("Not found", "not_found", "Nothing found for 42."),
	409: problem("Conflicts with the current state", "conflict", "The slug is already taken."),
	410: problem("No longer valid", "gone", "This link was for the due date 2025-09-30T21:00:00.000Z; the milestone is now due 2025-12-31T21:00:00.000Z."),
	413: problem("Body too large", "payload_too_large", "The request body is larger than 256 KiB."),
	415: problem("Body is not application/json", "unsupported_media_type", "Send the body as application/json."),
	422: problem("Body failed validation", "validation_failed", "The request body is not valid: /due month 13 does not exist", [
		{ path: "/due", message: "month 13 does not exist" },
	]),
	503: problem("Database unavailable; retry after the Retry-After seconds", "unavailable", "The database is unavailable; retry shortly."),
} as const;

export const pick = <K extends keyof typeof errorResponses>(...codes: K[]) =>
	Object.fromEntries(codes.map((c) => [c, errorResponses[c]])) as Pick<typeof errorResponses, K>;

/**
 * A URL name: lowercase letters, digits and single hyphens, with at least one letter, since a
 * path's `:id` of digits only is read as a numeric id (db/lookup.ts), never as a slug.
 */
export const Slug = z
	.string()
	.min(1)
	.max(80)
	.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "lowercase letters, digits and single hyphens")
	.regex(/[a-z]/, "must contain a letter: digits only would read as an id");

export const Tag = z
	.string()
	.min(1)
	.max(40)
	.regex(/^[\p{L}\p{N}][\p{L}\p{N}_.:-]*$/u, "letters, digits, and _ . : - inside");

/** A plain single-line label: no control characters (they break headers, CSV and logs). */
export const Label = (max: number) =>
	z
		.string()
		.trim()
		.min(1, "must not be empty")
		.max(max)
		.regex(/^[^\p{Cc}]*$/u, "must not contain control characters");

/**
 * A label's translations into Arabic and Sorani: only those keys, each a non-empty single-line
 * label; null (or `{}`) when there are none. English is the label itself.
 */
export const Translated = (max: number) =>
	z
		.object({ ar: Label(max).optional(), ckb: Label(max).optional() })
		.strict()
		.nullable()
		.openapi({
			description: "Translations shown on pages in Arabic (`ar`) and Sorani (`ckb`); the original is shown where one is missing",
			example: { ar: "انسحاب التحالف", ckb: "کشانەوەی هاوپەیمانی" },
		});

export const LongText = (max: number) =>
	z
		.string()
		.max(max)
		// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point (tab and newlines stay allowed)
		.regex(/^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/u, "must not contain control characters");

export const HttpUrl = z
	.string()
	.max(2048)
	.url()
	.refine((u) => /^https?:\/\//i.test(u), "must be an http(s) URL");

export const Timestamp = z.string().openapi({ format: "date-time", example: "2025-09-30T21:00:00.000Z" });

const calendarDate = z.iso.date();
const rfc3339 = z.iso.datetime({ offset: true });

/**
 * A filter bound: a calendar date (UTC midnight) or an RFC 3339 date-time, as a Date. Strict: a
 * date that does not exist (2025-02-30, hour 24) is refused, never rolled over into the next month.
 */
export const DateOrInstant = z
	.string()
	.max(40)
	.transform((text, ctx) => {
		// RFC 3339 allows a lowercase t and z, and a space for the T.
		const written = text.toUpperCase().replace(" ", "T");
		if (!calendarDate.safeParse(written).success && !rfc3339.safeParse(written).success) {
			ctx.addIssue({ code: "custom", message: "not a date that exists: give YYYY-MM-DD or an RFC 3339 date-time with an offset" });
			return z.NEVER;
		}
		return new Date(written);
	})
	.openapi({ type: "string", format: "date-time", example: "2025-08-01" });

export const Page = z.object({
	limit: z.coerce.number().int().min(1).max(200).default(50).openapi({ example: 50 }),
	cursor: z.string().max(512).optional().openapi({ description: "`next_cursor` from the previous page" }),
});

/** `:id` in paths: a numeric id, or a slug where the resource has one. */
export const IdParam = z.object({
	id: z
		.string()
		.min(1)
		.max(80)
		.openapi({ param: { name: "id", in: "path" }, example: "1" }),
});

/** A link's opaque token in the path (unsubscribe, acknowledge). */
export const TokenParam = z.object({
	token: z
		.string()
		.min(1)
		.max(200)
		.openapi({ param: { name: "token", in: "path" } }),
});

/** An HTML page as an OpenAPI response. */
export const htmlContent = (description: string, example: string) => ({ description, content: { "text/html": { schema: z.string(), example } } });

export const listOf = <T extends z.ZodTypeAny>(item: T, name: string) => z.object({ items: z.array(item), next_cursor: z.string().nullable() }).openapi(name);

/** `?lang=` on an HTML page: its language for this one view (an unknown one is a 400, never ignored quietly). */
export const LangQuery = z.object({
	lang: z
		.enum(LANGUAGES)
		.optional()
		.openapi({
			param: { name: "lang", in: "query" },
			description: "Show the page in English (`en`), Arabic (`ar`) or Sorani (`ckb`) for this view",
			example: "ar",
		}),
});
