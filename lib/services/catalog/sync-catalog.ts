import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { catalogs, creditRules, planVersions, plans, priceComponents, promotions, taxRates } from "@/db/schema";
import type { Catalog, Plan } from "@/lib/domain/catalog/types";

function hashPlan(plan: Plan): string {
  const { version: _v, ...rest } = plan;
  return createHash("sha256").update(JSON.stringify(rest)).digest("hex");
}

export interface SyncResult {
  catalog: string;
  plans: { code: string; planId: string; planVersionId: string; version: number; created: boolean }[];
}

/**
 * Writes a validated catalog into the database: plans, a new plan version only when a plan's definition
 * changed (existing subscriptions keep theirs), price components, credit rules, promotions and tax rates.
 * Idempotent: syncing the same catalog twice changes nothing.
 */
export async function syncCatalog(db: DbOrTx, catalog: Catalog): Promise<SyncResult> {
  return db.transaction(async (tx) => {
    await tx
      .insert(catalogs)
      .values({ code: catalog.code, name: catalog.name, currency: catalog.currency, definition: catalog })
      .onConflictDoUpdate({
        target: catalogs.code,
        set: { name: catalog.name, currency: catalog.currency, definition: catalog, syncedAt: sql`now()` },
      });

    const result: SyncResult = { catalog: catalog.code, plans: [] };
    for (const [position, plan] of catalog.plans.entries()) {
      const [planRow] = await tx
        .insert(plans)
        .values({
          catalogCode: catalog.code,
          code: plan.code,
          name: plan.display_name || plan.name,
          currency: plan.currency,
          currentVersion: 1,
          position,
        })
        .onConflictDoUpdate({
          target: [plans.catalogCode, plans.code],
          set: { name: plan.display_name || plan.name, currency: plan.currency, position },
        })
        .returning();
      const hash = hashPlan(plan);
      const versions = await tx.select().from(planVersions).where(eq(planVersions.planId, planRow.id));
      const same = versions.find((v) => v.definitionHash === hash);
      if (same) {
        result.plans.push({ code: plan.code, planId: planRow.id, planVersionId: same.id, version: same.version, created: false });
        continue;
      }
      const version = versions.reduce((m, v) => Math.max(m, v.version), 0) + 1;
      const definition: Plan = { ...plan, version };
      const [pv] = await tx
        .insert(planVersions)
        .values({
          planId: planRow.id,
          version,
          definition,
          definitionHash: hash,
          intervalUnit: plan.interval.unit,
          intervalCount: plan.interval.count,
        })
        .returning();
      await tx.update(plans).set({ currentVersion: version }).where(eq(plans.id, planRow.id));
      if (plan.components.length) {
        await tx.insert(priceComponents).values(
          plan.components.map((c, i) => ({
            planVersionId: pv.id,
            position: i,
            kind: c.kind,
            code: c.code,
            metricCode: "metric" in c ? c.metric : null,
            definition: c,
          })),
        );
      }
      const rules = plan.components.flatMap((c) =>
        c.kind === "credit_pool"
          ? c.credit_rules.map((r) => ({
              planVersionId: pv.id,
              poolCode: c.code,
              eventType: r.event_type,
              creditsPerUnit: r.credits_per_unit,
              unitLabel: r.unit_label,
            }))
          : [],
      );
      if (rules.length) await tx.insert(creditRules).values(rules);
      result.plans.push({ code: plan.code, planId: planRow.id, planVersionId: pv.id, version, created: true });
    }

    for (const promo of catalog.promotions) {
      const values = {
        code: promo.code,
        catalogCode: catalog.code,
        definition: promo,
        maxRedemptions: promo.max_redemptions,
        expiresAt: promo.expires_at ? new Date(promo.expires_at) : null,
      };
      await tx
        .insert(promotions)
        .values(values)
        .onConflictDoUpdate({
          target: promotions.code,
          set: { definition: promo, maxRedemptions: promo.max_redemptions, expiresAt: values.expiresAt },
        });
    }
    for (const rate of catalog.tax_rates) {
      await tx
        .insert(taxRates)
        .values({ code: rate.code, name: rate.name, percentage: rate.percent, jurisdiction: rate.jurisdiction })
        .onConflictDoUpdate({
          target: taxRates.code,
          set: { name: rate.name, percentage: rate.percent, jurisdiction: rate.jurisdiction },
        });
    }
    return result;
  });
}

export async function findPlan(db: DbOrTx, catalogCode: string, planCode: string) {
  const [row] = await db
    .select()
    .from(plans)
    .where(and(eq(plans.catalogCode, catalogCode), eq(plans.code, planCode)));
  return row ?? null;
}
