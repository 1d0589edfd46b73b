import { createHash, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";
import { AppError, errorResponse, unauthorized } from "./errors";

/** Constant-time string equality (both sides hashed first, so lengths never leak through timing). */
export function constantTimeEqual(a: string, b: string): boolean {
  const ha = createHash("sha256").update(a, "utf8").digest();
  const hb = createHash("sha256").update(b, "utf8").digest();
  return timingSafeEqual(ha, hb);
}

/**
 * Checks `Authorization: Bearer $CRON_SECRET`. With CRON_SECRET set, it is required (missing or wrong →
 * 401). Without it, production refuses to run jobs at all (503, naming the variable); development and
 * tests accept the call so a local scheduler works out of the box.
 */
export function assertCronAuthorized(request: Request, config: { secret?: string; nodeEnv: string }): void {
  const header = request.headers.get("authorization") ?? "";
  if (!config.secret) {
    if (config.nodeEnv === "production") {
      throw new AppError(503, "cron_not_configured", "CRON_SECRET is not set: cron jobs refuse to run in production without it");
    }
    return;
  }
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!match || !constantTimeEqual(match[1].trim(), config.secret)) {
    throw unauthorized("Missing or invalid cron secret");
  }
}

/** Wraps a cron route handler: authenticates the scheduler, maps errors to the JSON error body. */
export function withCron(handler: (request: Request) => Promise<Response>) {
  return async (request: Request): Promise<Response> => {
    try {
      const e = env();
      assertCronAuthorized(request, { secret: e.CRON_SECRET, nodeEnv: e.NODE_ENV });
      return await handler(request);
    } catch (err) {
      return errorResponse(err);
    }
  };
}
