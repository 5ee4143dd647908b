import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { describeError } from "../log";

/** Every error the API can answer with, and its HTTP status. */
export const ERROR_STATUS = {
	bad_request: 400,
	unauthorized: 401,
	forbidden: 403,
	not_found: 404,
	method_not_allowed: 405,
	conflict: 409,
	gone: 410,
	payload_too_large: 413,
	unsupported_media_type: 415,
	validation_failed: 422,
	rate_limited: 429,
	internal: 500,
	unavailable: 503,
	not_configured: 503,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof ERROR_STATUS;

const TITLES: Record<ErrorCode, string> = {
	bad_request: "Bad request",
	unauthorized: "Unauthorized",
	forbidden: "Forbidden",
	not_found: "Not found",
	method_not_allowed: "Method not allowed",
	conflict: "Conflict",
	gone: "Gone",
	payload_too_large: "Payload too large",
	unsupported_media_type: "Unsupported media type",
	validation_failed: "Validation failed",
	rate_limited: "Too many requests",
	internal: "Internal error",
	unavailable: "Service unavailable",
	not_configured: "Not configured",
};

/** One invalid field: a JSON Pointer into the request (or a setting's name) and what is wrong there. */
export interface FieldError {
	path: string;
	message: string;
}

export interface ProblemOptions {
	errors?: FieldError[];
	headers?: Record<string, string>;
	cause?: unknown;
}

/** The one error type of the app; `onError` turns it into RFC 9457 problem+json. */
export class AppError extends Error {
	readonly code: ErrorCode;
	readonly errors?: FieldError[];
	readonly headers?: Record<string, string>;

	constructor(code: ErrorCode, detail: string, options: ProblemOptions = {}) {
		super(detail, { cause: options.cause });
		this.name = "AppError";
		this.code = code;
		this.errors = options.errors;
		this.headers = options.headers;
	}

	get status(): ContentfulStatusCode {
		return ERROR_STATUS[this.code];
	}
}

/** The problem+json body for an error, as served and as documented. */
export function problemBody(error: AppError) {
	return {
		type: `urn:vigil:problem:${error.code}`,
		title: TITLES[error.code],
		status: error.status,
		detail: error.message,
		...(error.errors ? { errors: error.errors } : {}),
	};
}

export function problemResponse(error: AppError): Response {
	return new Response(JSON.stringify(problemBody(error)), {
		status: error.status,
		headers: { "content-type": "application/problem+json", ...error.headers },
	});
}

/** D1 failing underneath us (not our SQL being wrong) is the one 5xx we answer on purpose. */
function isStorageOutage(error: unknown): boolean {
	for (let e: unknown = error; e instanceof Error; e = e.cause) {
		if (
			/D1_ERROR|D1_EXEC_ERROR|storage.*(reset|unavailable|overloaded)|Network connection lost|internal error/i.test(e.message) &&
			// Our own SQL being wrong is a bug (500), however D1 words it.
			!/constraint|syntax|no such|too many SQL variables|TOOBIG|too big|mismatch/i.test(e.message)
		) {
			return true;
		}
	}
	return false;
}

/** Maps anything thrown in a handler to one problem+json response. */
export function toAppError(error: unknown): AppError {
	if (error instanceof AppError) return error;
	if (error instanceof HTTPException) {
		const status = error.status;
		const code = (Object.keys(ERROR_STATUS) as ErrorCode[]).find((k) => ERROR_STATUS[k] === status) ?? "bad_request";
		const detail = status === 413 ? "The request body is larger than this endpoint accepts." : error.message || TITLES[code];
		return new AppError(code, detail);
	}
	if (isStorageOutage(error)) {
		return new AppError("unavailable", "The database is unavailable; retry shortly.", { headers: { "retry-after": "5" } });
	}
	return new AppError("internal", "An unexpected error occurred.");
}

export function onError(error: unknown, c: Context): Response {
	const appError = toAppError(error);
	if (appError.status >= 500) {
		// Log the kind and message only: request bodies and headers may hold secrets.
		console.error(`${c.req.method} ${new URL(c.req.url).pathname} -> ${appError.status}`, describeError(error));
	}
	return problemResponse(appError);
}
