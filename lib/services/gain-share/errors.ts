import { AppError, type FieldErrors } from "@/lib/http/errors";

/** A refusal with the field that caused it (shown beside the field in forms, in `fields` over HTTP). */
export const invalidKpiInput = (message: string, fields?: FieldErrors) => new AppError(400, "invalid_request", message, fields);
export const gainShareRefused = (code: string, message: string, fields?: FieldErrors) => new AppError(422, code, message, fields);
