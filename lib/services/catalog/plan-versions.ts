import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { catalogs, planVersions, plans } from "@/db/schema";
import type { Catalog, Plan } from "@/lib/domain/catalog/types";

export interface PricedPlan {
  planId: string;
  planVersionId: string;
  catalogCode: string;
  plan: Plan;
  catalog: Catalog;
}

// Plan versions are immutable once written, so caching them per process is safe for every instance.
const cache = new Map<string, PricedPlan>();

/** The engine's inputs for a plan version: the plan definition and its catalog (metrics, promotions, taxes). */
export async function loadPlanVersion(db: DbOrTx, planVersionId: string): Promise<PricedPlan> {
  const hit = cache.get(planVersionId);
  if (hit) return hit;
  const [row] = await db
    .select({ pv: planVersions, plan: plans, catalog: catalogs })
    .from(planVersions)
    .innerJoin(plans, eq(plans.id, planVersions.planId))
    .innerJoin(catalogs, eq(catalogs.code, plans.catalogCode))
    .where(eq(planVersions.id, planVersionId));
  if (!row) throw new Error(`plan version ${planVersionId} not found`);
  const priced: PricedPlan = {
    planId: row.plan.id,
    planVersionId: row.pv.id,
    catalogCode: row.catalog.code,
    plan: row.pv.definition as Plan,
    catalog: row.catalog.definition as Catalog,
  };
  cache.set(planVersionId, priced);
  return priced;
}

/** The current version of every active plan of a catalog, in catalog order. */
export async function listCatalogPlans(db: DbOrTx, catalogCode: string) {
  const rows = await db
    .select({ plan: plans, pv: planVersions })
    .from(plans)
    .innerJoin(planVersions, eq(planVersions.planId, plans.id))
    .where(eq(plans.catalogCode, catalogCode))
    .orderBy(plans.position);
  return rows
    .filter((r) => r.pv.version === r.plan.currentVersion && r.plan.active)
    .map((r) => ({ planId: r.plan.id, planVersionId: r.pv.id, plan: r.pv.definition as Plan }));
}
