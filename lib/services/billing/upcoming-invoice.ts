/**
 * The upcoming invoice of a tenant's open period: the very pricing the period close will run
 * (pricePeriodInvoice), over the same stored facts, read without locks and without writing anything.
 */
import type { DbOrTx } from "@/db/client";
import { pricePeriodInvoice } from "@/lib/domain/billing/price-period-invoice";
import type { InvoicePreview } from "@/lib/domain/invoicing/build-invoice-preview";
import { loadPlanVersion } from "@/lib/services/catalog/plan-versions";
import { getActiveSubscription } from "@/lib/services/subscriptions/subscriptions";
import { loadOpenPeriodFacts } from "./open-period-facts";

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
  const facts = await loadOpenPeriodFacts(db, { subscription: sub, period, catalog: priced.catalog });
  const preview = pricePeriodInvoice({ catalog: priced.catalog, plan: priced.plan, ...facts });
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
    interimInvoiceCount: facts.interimInvoices.length,
  };
}
