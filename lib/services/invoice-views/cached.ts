/**
 * Tenant-scoped invoice reads for the customer pages, cached per request (React cache()). They call the
 * billing service's queries (lib/services/billing/invoice-queries), which filter by tenant: an invoice id of
 * another tenant reads as null, and the page answers 404.
 */
import { cache } from "react";
import { getDb } from "@/db";
import { getBillingOverview } from "@/lib/services/overview/get-billing-overview";
import { getUpcomingInvoice } from "@/lib/services/billing/upcoming-invoice";
import { balanceDue, getInvoice, listInvoices } from "@/lib/services/billing/invoice-queries";
import { listPlanOptions } from "@/lib/services/plan-change/plan-change-options";
import { loadPlanVersion } from "@/lib/services/catalog/plan-versions";
import { getActiveSubscription } from "@/lib/services/subscriptions/subscriptions";

export const billingOverviewFor = cache(async (tenantId: string) => getBillingOverview(await getDb(), { tenantId, now: new Date() }));
export const upcomingInvoiceFor = cache(async (tenantId: string) => getUpcomingInvoice(await getDb(), tenantId));
export const invoicesFor = cache(async (tenantId: string) => listInvoices(await getDb(), tenantId, { limit: 100 }));
export const planOptionsFor = cache(async (tenantId: string) => listPlanOptions(await getDb(), tenantId));

export const invoiceFor = cache(async (tenantId: string, invoiceId: string) => {
  const db = await getDb();
  const detail = await getInvoice(db, tenantId, invoiceId);
  if (!detail) return null;
  return { ...detail, balance: await balanceDue(db, detail.invoice) };
});

/** The scheduled plan change of the tenant's subscription, if any (a cheap read for the overview banner). */
export const pendingPlanChangeFor = cache(async (tenantId: string) => {
  const db = await getDb();
  const active = await getActiveSubscription(db, tenantId);
  if (!active?.subscription.pendingPlanVersionId) return null;
  const { plan } = await loadPlanVersion(db, active.subscription.pendingPlanVersionId);
  return { planCode: plan.code, displayName: plan.display_name, effectiveAt: active.period.endsAt };
});
