import { asc, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { catalogs, planVersions, plans } from "@/db/schema";
import type { Catalog, Plan } from "@/lib/domain/catalog/types";

/** Every synced catalog with its plans at their current version (read-only console). */
export async function listCatalogsForAdmin(db: DbOrTx) {
  const cats = await db.select({ code: catalogs.code, name: catalogs.name, currency: catalogs.currency, syncedAt: catalogs.syncedAt, definition: catalogs.definition }).from(catalogs).orderBy(asc(catalogs.code));
  const rows = await db
    .select({ plan: plans, pv: planVersions })
    .from(plans)
    .innerJoin(planVersions, eq(planVersions.planId, plans.id))
    .orderBy(asc(plans.catalogCode), asc(plans.position), asc(planVersions.version));
  return cats.map(({ definition, ...c }) => ({
    ...c,
    catalog: definition as Catalog,
    plans: rows
      .filter((r) => r.plan.catalogCode === c.code && r.pv.version === r.plan.currentVersion)
      .map((r) => ({ id: r.plan.id, active: r.plan.active, versions: rows.filter((x) => x.plan.id === r.plan.id).length, definition: r.pv.definition as Plan })),
  }));
}
