import { and, asc, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { subscriptions, tenants } from "@/db/schema";
import { loadPlanVersion } from "@/lib/services/catalog/plan-versions";

export type GainShareTenant = { id: string; name: string; slug: string; planCode: string; currency: string; range: { min_percent: number; max_percent: number; default_percent: number } };

/** Tenants whose live plan allows gain-share (the operator's create-run form offers only these). */
export async function listGainShareTenants(db: DbOrTx): Promise<GainShareTenant[]> {
  const rows = await db
    .select({ id: tenants.id, name: tenants.name, slug: tenants.slug, planVersionId: subscriptions.planVersionId })
    .from(tenants)
    .innerJoin(subscriptions, and(eq(subscriptions.tenantId, tenants.id), eq(subscriptions.status, "active")))
    .orderBy(asc(tenants.name));
  const out: GainShareTenant[] = [];
  for (const r of rows) {
    const { plan } = await loadPlanVersion(db, r.planVersionId);
    if (plan.gain_share) out.push({ id: r.id, name: r.name, slug: r.slug, planCode: plan.code, currency: plan.currency, range: plan.gain_share });
  }
  return out;
}
