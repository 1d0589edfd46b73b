import type { Db } from "@/db/client";
import { authenticateApiKey, type ApiKeyContext } from "@/lib/services/api-keys/authenticate-api-key";
import { AppError, errorResponse, unauthorized } from "./errors";
import { assertWithinRateLimit } from "./rate-limit";

export type ApiKeyRouteContext = { auth: ApiKeyContext; db: Db; now: Date };
export type ApiKeyHandler = (req: Request, ctx: ApiKeyRouteContext) => Promise<Response>;

export interface ApiKeyDeps {
  getDb: () => Promise<Db>;
  now?: () => Date;
  rateLimitPerMinute: () => number;
}

/**
 * Authenticates `Authorization: Bearer <key>` (the key alone decides the tenant), applies the per-key
 * rate limit, and maps every thrown error to the JSON error body.
 */
export function withApiKey(handler: ApiKeyHandler, deps: ApiKeyDeps): (req: Request) => Promise<Response> {
  return async (req: Request) => {
    try {
      const header = req.headers.get("authorization") ?? "";
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!match) throw unauthorized("Missing API key: send the header Authorization: Bearer <key>");
      const db = await deps.getDb();
      const now = deps.now?.() ?? new Date();
      const auth = await authenticateApiKey(db, match[1], now);
      if (!auth) throw unauthorized("Invalid or revoked API key");
      assertWithinRateLimit(auth.requestsThisWindow, deps.rateLimitPerMinute(), now);
      return await handler(req, { auth, db, now });
    } catch (err) {
      return errorResponse(err);
    }
  };
}

export const MAX_JSON_BODY_BYTES = 5 * 1024 * 1024;

/** The request's JSON body: 415 unless application/json, 413 beyond the size limit, 400 if malformed. */
export async function readJsonBody(req: Request, maxBytes = MAX_JSON_BODY_BYTES): Promise<unknown> {
  const type = (req.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/json") {
    throw new AppError(415, "unsupported_media_type", `Expected Content-Type: application/json, got ${type ? JSON.stringify(type) : "none"}`);
  }
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw new AppError(413, "payload_too_large", `The body is larger than ${maxBytes} bytes`);
  const text = await req.text();
  if (text.length > maxBytes) throw new AppError(413, "payload_too_large", `The body is larger than ${maxBytes} bytes`);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new AppError(400, "malformed_json", `The body is not valid JSON: ${(err as Error).message}`, { body: "malformed JSON" });
  }
}
