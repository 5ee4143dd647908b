import { OpenAPIHono, type z } from "@hono/zod-openapi";
import type { AppEnv } from "../env";
import { AppError, type FieldError } from "./errors";
import { keepable, showSurrogates } from "./json";

/** JSON Pointer for a zod issue path: ["tags", 2] -> "/tags/2". */
function pointer(path: readonly PropertyKey[]): string {
	return path.map((p) => `/${showSurrogates(String(p)).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
}

/** Validation failures become the same problem+json as every other error. */
export function validationError(target: string, error: z.ZodError): AppError {
	const errors: FieldError[] = error.issues.map((i) => ({ path: pointer(i.path) || "/", message: i.message }));
	const where = target === "json" ? "request body" : target;
	const detail = `The ${where} is not valid: ${errors.map((e) => `${e.path} ${e.message}`).join("; ")}`.slice(0, 1000);
	return new AppError(target === "json" ? "validation_failed" : "bad_request", detail, { errors });
}

/** A sub-app for one resource, whose validators answer in problem+json. */
export function createRouter() {
	return new OpenAPIHono<AppEnv>({
		defaultHook: (result) => {
			if (!result.success) throw validationError(result.target, result.error);
		},
	});
}

/** A JSON response entry for createRoute, with an example for the docs when given (typed by the schema). */
export const jsonContent = <T extends z.ZodTypeAny>(schema: T, description: string, example?: z.infer<T>) => ({
	description,
	content: { "application/json": example === undefined ? { schema } : { schema, example } },
});

/** A required JSON request body for createRoute, refused if it holds what cannot be kept as sent (see json.ts). */
export const jsonBody = <T extends z.ZodTypeAny>(schema: T) => ({ required: true, content: { "application/json": { schema: keepable(schema) } } });

/** Marks a route as needing the admin bearer token in the OpenAPI document. */
export const adminOnly = [{ bearerAuth: [] }];
