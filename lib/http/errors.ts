import { ZodError } from "zod";
import { DomainError } from "@/lib/domain/errors";

export type FieldErrors = Record<string, string>;

/**
 * The one typed error that routes and actions throw; it maps to an HTTP status and the JSON body
 * `{ error: { code, message, fields? } }`.
 */
export class AppError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
    public readonly fields?: FieldErrors,
    public readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const badRequest = (message: string, fields?: FieldErrors) => new AppError(400, "invalid_request", message, fields);
export const unauthorized = (message = "Missing or invalid credentials") => new AppError(401, "unauthorized", message);
export const paymentRequired = (message: string, code = "payment_required") => new AppError(402, code, message);
export const forbidden = (message = "You are not allowed to do this") => new AppError(403, "forbidden", message);
export const notFound = (message = "Not found") => new AppError(404, "not_found", message);
export const conflict = (message: string, code = "conflict") => new AppError(409, code, message);
export const payloadTooLarge = (message: string) => new AppError(413, "payload_too_large", message);
export const unsupportedMediaType = (message: string) => new AppError(415, "unsupported_media_type", message);
export const unprocessable = (message: string, code = "unprocessable", fields?: FieldErrors) =>
  new AppError(422, code, message, fields);
export const tooManyRequests = (message: string, retryAfterSeconds: number, code = "rate_limited") =>
  new AppError(429, code, message, undefined, { "Retry-After": String(Math.max(1, Math.ceil(retryAfterSeconds))) });

/** Zod issues → `{ "events[3].quantity": "message" }`. */
export function zodFields(error: ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const path = issue.path.reduce<string>(
      (acc, part) => (typeof part === "number" ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)),
      "",
    );
    const key = path || "body";
    fields[key] ??= issue.message;
  }
  return fields;
}

export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError) {
    const fields = zodFields(err);
    return badRequest(`Invalid input: ${Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join("; ")}`, fields);
  }
  if (err instanceof DomainError) return new AppError(422, err.code, err.message);
  return new AppError(500, "internal_error", "Something went wrong on our side");
}

export function errorResponse(err: unknown): Response {
  const e = toAppError(err);
  if (e.status >= 500) console.error("[meterline] unhandled error:", err);
  const body: { error: { code: string; message: string; fields?: FieldErrors } } = {
    error: { code: e.code, message: e.message },
  };
  if (e.fields) body.error.fields = e.fields;
  return Response.json(body, { status: e.status, headers: e.headers });
}
