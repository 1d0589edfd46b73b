import type { Db } from "@/db/client";
import type { Plan } from "@/lib/domain/catalog/types";
import { periodContaining } from "@/lib/domain/period";
import type { ApiKeyContext } from "@/lib/services/api-keys/authenticate-api-key";
import { ensurePeriod } from "@/lib/services/subscriptions/subscriptions";

/**
 * The period row of an event at or after the open period's end: the next period has begun but the
 * invoice run has not rolled the subscription yet. The row is created if missing (unique per index, so
 * the invoice run finds the same one).
 */
export async function resolvePeriodFor(db: Db, params: { auth: ApiKeyContext; plan: Plan; at: Date }): Promise<string> {
  const sub = params.auth.subscription!;
  const p = periodContaining({ anchor: sub.anchorAt, interval: params.plan.interval, at: params.at });
  if (p.index === sub.currentPeriodIndex) return sub.period.id;
  const row = await ensurePeriod(db, {
    tenantId: params.auth.tenantId,
    subscriptionId: sub.id,
    anchorAt: sub.anchorAt,
    plan: params.plan,
    planVersionId: sub.planVersionId,
    index: p.index,
  });
  return row.id;
}
