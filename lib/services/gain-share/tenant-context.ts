import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { tenants } from "@/db/schema";
import type { Catalog, Kpi, Plan } from "@/lib/domain/catalog/types";
import { notFound } from "@/lib/http/errors";
import { loadPlanVersion } from "@/lib/services/catalog/plan-versions";
import { getActiveSubscription } from "@/lib/services/subscriptions/subscriptions";
import { gainShareRefused, invalidKpiInput } from "./errors";

export interface GainShareTenantContext {
  tenant: typeof tenants.$inferSelect;
  subscriptionId: string;
  plan: Plan;
  catalog: Catalog;
}

/** The tenant, its live subscription and the plan and catalog it is on (KPIs come from the catalog). */
export async function loadTenantContext(db: DbOrTx, tenantId: string): Promise<GainShareTenantContext> {
  const [tenant] = await db.select().from(tenants).where(eq(tenants.id, tenantId));
  if (!tenant) throw notFound("No such tenant");
  const active = await getActiveSubscription(db, tenantId);
  if (!active) throw gainShareRefused("no_active_subscription", `${tenant.name} has no active subscription`);
  const priced = await loadPlanVersion(db, active.subscription.planVersionId);
  return { tenant, subscriptionId: active.subscription.id, plan: priced.plan, catalog: priced.catalog };
}

/** The catalog's KPI, or a refusal naming the known codes. */
export function kpiOf(catalog: Catalog, code: string): Kpi {
  const kpi = catalog.kpis.find((k) => k.code === code);
  if (kpi) return kpi;
  const known = catalog.kpis.map((k) => k.code);
  throw invalidKpiInput(
    known.length ? `Unknown KPI ${JSON.stringify(code)}: the ${catalog.code} catalog knows ${known.join(", ")}` : `The ${catalog.code} catalog defines no KPIs`,
    { kpi: known.length ? `must be one of ${known.join(", ")}` : "this catalog defines no KPIs" },
  );
}
