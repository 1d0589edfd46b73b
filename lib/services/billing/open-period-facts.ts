/**
 * The stored facts of a subscription's open period, in the shape the engine prices: the same readers the
 * upcoming-invoice preview and the period close use (lib/services/billing/load-inputs), so a plan-change
 * preview is the very invoice the close will issue.
 */
import type { DbOrTx } from "@/db/client";
import type { PeriodBillingInputs } from "@/lib/domain/billing/price-period-invoice";
import type { Catalog } from "@/lib/domain/catalog/types";
import {
  loadApprovedGainShare,
  loadCounters,
  loadInterimInvoices,
  loadPendingAdjustments,
  loadPromotionGrants,
  loadSnapshotsForPeriods,
  loadTaxRates,
  loadTenantsBilling,
  taxRateFor,
} from "./load-inputs";
import type { PeriodRow, SubscriptionRow } from "@/lib/services/subscriptions/subscriptions";

export type PeriodFacts = Omit<PeriodBillingInputs, "plan" | "catalog" | "interimInvoices"> & {
  interimInvoices: PeriodBillingInputs["interimInvoices"];
};

export async function loadOpenPeriodFacts(
  db: DbOrTx,
  params: { subscription: SubscriptionRow; period: PeriodRow; catalog: Catalog },
): Promise<PeriodFacts> {
  const { subscription: sub, period, catalog } = params;
  const tenantId = sub.tenantId;
  const key = { tenantId, subscriptionId: sub.id };
  const [counters, snapshots, tenants, taxRates, promotions, adjustments, gainShareRuns, interim] = await Promise.all([
    loadCounters(db, { tenantId, periodId: period.id }),
    loadSnapshotsForPeriods(db, [{ ...key, start: period.startsAt, end: period.endsAt }]),
    loadTenantsBilling(db, [tenantId]),
    loadTaxRates(db),
    loadPromotionGrants(db, [{ tenantId, id: sub.id, promotionCode: sub.promotionCode, promotionStartIndex: sub.promotionStartIndex }]),
    loadPendingAdjustments(db, key),
    loadApprovedGainShare(db, key),
    loadInterimInvoices(db, { ...key, periodId: period.id }),
  ]);
  return {
    periodIndex: period.index,
    period: { start: period.startsAt, end: period.endsAt },
    counters,
    snapshots: snapshots.get(sub.id) ?? [],
    promotion: promotions.get(sub.id) ?? null,
    taxRate: taxRateFor(tenants.get(tenantId), taxRates, catalog),
    adjustments,
    gainShareRuns,
    interimInvoices: interim,
  };
}
