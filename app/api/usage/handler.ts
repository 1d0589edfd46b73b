import type { Db } from "@/db/client";
import { AppError } from "@/lib/http/errors";
import { readJsonBody, withApiKey } from "@/lib/http/with-api-key";
import { ingestUsage } from "@/lib/services/usage/ingest-usage";
import { parseUsageRequest, UsageRequestError } from "@/lib/services/usage/request-schema";

export interface UsageHandlerDeps {
  getDb: () => Promise<Db>;
  now?: () => Date;
  graceMinutes: () => number;
  rateLimitPerMinute: () => number;
}

/** POST /api/usage bound to a database (the route binds the app's; tests bind their own). */
export function createUsageHandler(deps: UsageHandlerDeps) {
  return withApiKey(async (req, { auth, db, now }) => {
    const body = await readJsonBody(req);
    let request;
    try {
      request = parseUsageRequest(body);
    } catch (err) {
      if (err instanceof UsageRequestError) {
        throw new AppError(err.status, err.status === 413 ? "payload_too_large" : "invalid_request", err.message, err.fields);
      }
      throw err;
    }
    const outcome = await ingestUsage(db, auth, request, { now, graceMinutes: deps.graceMinutes() });
    return Response.json(outcome.body, { status: outcome.status });
  }, deps);
}
