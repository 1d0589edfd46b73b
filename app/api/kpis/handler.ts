import type { Db } from "@/db/client";
import { badRequest, zodFields } from "@/lib/http/errors";
import { readJsonBody, withApiKey } from "@/lib/http/with-api-key";
import { recordMeasurement } from "@/lib/services/gain-share/measurements";
import { kpiApiBodySchema } from "@/lib/services/gain-share/schemas";

export interface KpiHandlerDeps {
  getDb: () => Promise<Db>;
  now?: () => Date;
  rateLimitPerMinute: () => number;
}

/**
 * POST /api/kpis: one KPI measurement for the key's tenant (the key decides the tenant, never the body).
 * Idempotent like usage: a repeat of a key returns the first answer with duplicate: true; the same key
 * with a different body is 409 and changes nothing.
 */
export function createKpiHandler(deps: KpiHandlerDeps) {
  return withApiKey(async (req, { auth, db, now }) => {
    const parsed = kpiApiBodySchema.safeParse(await readJsonBody(req));
    if (!parsed.success) {
      const fields = zodFields(parsed.error);
      throw badRequest(`Invalid measurement: ${Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join("; ")}`, fields);
    }
    const { idempotency_key, ...input } = parsed.data;
    const outcome = await recordMeasurement(db, {
      tenantId: auth.tenantId,
      input,
      source: "api",
      idempotencyKey: idempotency_key,
      actor: { kind: "api_key", userId: null, label: `api key ${auth.keyId}` },
      now,
    });
    return Response.json(outcome.body, { status: outcome.status });
  }, deps);
}
