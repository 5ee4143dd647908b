import { AppError, type ErrorCode, type ProblemOptions, toAppError } from "../../http/errors";
import { logEvent } from "../../log";

/** Why a webhook message was refused, as its log entry says (the answer may say less: see `Refused`). */
export type RefusalReason =
	| "unknown_source"
	| "inactive"
	| "bad_headers"
	| "stale_timestamp"
	| "bad_signature"
	| "rate_limited"
	| "too_large"
	| "invalid_body"
	| "webhook_id_reused"
	| "unavailable"
	| "error";

/**
 * A refused message with its reason. The reason is for the operator's log only: an unknown source
 * answers exactly as a wrong signature does, so that strangers cannot tell which sources exist.
 */
export class Refused extends AppError {
	constructor(
		readonly reason: RefusalReason,
		code: ErrorCode,
		detail: string,
		options?: ProblemOptions,
	) {
		super(code, detail, options);
	}
}

const REASON_BY_CODE: Partial<Record<ErrorCode, RefusalReason>> = {
	bad_request: "invalid_body",
	validation_failed: "invalid_body",
	payload_too_large: "too_large",
	rate_limited: "rate_limited",
	unauthorized: "bad_signature",
	forbidden: "inactive",
	unavailable: "unavailable",
};

/** Logs one entry for a refused message: the reason, the source slug as given and the status; nothing of the message itself. */
export function logRefusal(slug: string, error: unknown): void {
	const answer = toAppError(error);
	const reason = error instanceof Refused ? error.reason : (REASON_BY_CODE[answer.code] ?? "error");
	logEvent("webhook.refused", { reason, source: slug.slice(0, 80), status: answer.status });
}
