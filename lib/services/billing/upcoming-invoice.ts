/**
 * The upcoming invoice of a tenant's open period: the very pricing the period close will run
 * (pricePeriodInvoice), over the same stored facts, read without locks and without writing anything.
 */
import type { DbOrTx } from "@/db/client";
import { pricePeriodInvoice } from "@/lib/domain/billing/price-period-invoice";
import type { InvoicePreview } from "@/lib/domain/invoicing/build-invoice-preview";
import { loadPlanVersion } from "@/lib/services/catalog/plan-versions";
import { getActiveSubscription } from "@/lib/services/subscriptions/subscriptions";
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

export interface UpcomingInvoice {
  subscriptionId: string;
  periodId: string;
  periodIndex: number;
  periodStart: Date;
  periodEnd: Date;
  planCode: string;
  planName: string;
  /** When the period closes and this invoice is issued. */
  issuesAt: Date;
  preview: InvoicePreview;
  /** Interim (threshold) invoices already issued for this period. */
  interimInvoiceCount: number;
}

export async function getUpcomingInvoice(db: DbOrTx, tenantId: string): Promise<UpcomingInvoice | null> {
  const active = await getActiveSubscription(db, tenantId);
  if (!active) return null;
  const { subscription: sub, period } = active;
  const priced = await loadPlanVersion(db, period.planVersionId);
  const key = { tenantId, subscriptionId: sub.id };
  const [counters, snapshots, tenants, taxRates, promotions, adjustments, gainShareRuns, interim] = await Promise.all([
    loadCounters(db, { tenantId, periodId: period.id }),
    loadSnapshotsForPeriods(db, [{ ...key, start: period.startsAt, end: period.endsAt }]),
    loadTenantsBilling(db, [tenantId]),
    loadTaxRates(db),
    loadPromotionGrants(db, [{ tenantId, id: sub.id, promotionCode: sub.promotionCode, promotionStartIndex: sub.promotionStartIndex }]),
    loadPendingAdjustments(db, key),
    loadApprovedGainShare(db, key),
    priced.plan.threshold_invoicing ? loadInterimInvoices(db, { ...key, periodId: period.id }) : Promise.resolve([]),
  ]);
  const preview = pricePeriodInvoice({
    catalog: priced.catalog,
    plan: priced.plan,
    periodIndex: period.index,
    period: { start: period.startsAt, end: period.endsAt },
    counters,
    snapshots: snapshots.get(sub.id) ?? [],
    promotion: promotions.get(sub.id) ?? null,
    taxRate: taxRateFor(tenants.get(tenantId), taxRates, priced.catalog),
    adjustments,
    gainShareRuns,
    interimInvoices: interim,
  });
  return {
    subscriptionId: sub.id,
    periodId: period.id,
    periodIndex: period.index,
    periodStart: period.startsAt,
    periodEnd: period.endsAt,
    planCode: priced.plan.code,
    planName: priced.plan.display_name,
    issuesAt: period.endsAt,
    preview,
    interimInvoiceCount: interim.length,
  };
}
