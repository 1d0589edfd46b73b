import { z } from "zod";
import type { Db } from "@/db/client";
import { badRequest } from "@/lib/http/errors";
import { withApiKey } from "@/lib/http/with-api-key";
import { usageSummary } from "@/lib/services/usage/usage-summary";

const periodSchema = z.union([z.literal("current"), z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/)]);

/** GET /api/usage/summary?period=current|YYYY-MM for the key's tenant. */
export function createUsageSummaryHandler(deps: { getDb: () => Promise<Db>; now?: () => Date; rateLimitPerMinute: () => number }) {
  return withApiKey(async (req, { auth, db }) => {
    const url = new URL(req.url);
    for (const name of url.searchParams.keys()) {
      if (name !== "period") throw badRequest(`Unknown query parameter "${name}"`, { [name]: "unknown parameter" });
    }
    const period = periodSchema.safeParse(url.searchParams.get("period") ?? "current");
    if (!period.success) throw badRequest('period must be "current" or a month such as 2026-03', { period: 'expected "current" or YYYY-MM' });
    return Response.json(await usageSummary(db, auth, period.data));
  }, deps);
}
