/** Finding our rows from Stripe objects, and the forward-only links between them. */
import { and, eq, isNull } from "drizzle-orm";
import type Stripe from "stripe";
import type { Tx } from "@/db/client";
import { auditLog, invoices, planVersions, subscriptions, tenants } from "@/db/schema";
import { findPlan } from "@/lib/services/catalog/sync-catalog";
import { loadPlanVersion } from "@/lib/services/catalog/plan-versions";
import { isUuid } from "@/lib/services/billing/invoice-queries";

export const idOf = (v: string | { id: string } | null | undefined): string | null => (v == null ? null : typeof v === "string" ? v : v.id);

/** Our invoice for a Stripe invoice: by the metadata we set when pushing it, else by the stored Stripe id. */
export async function findOurInvoice(tx: Tx, remote: Stripe.Invoice) {
  const ours = remote.metadata?.meterline_invoice_id;
  if (ours && isUuid(ours)) {
    const [row] = await tx.select().from(invoices).where(eq(invoices.id, ours));
    if (row) return row;
  }
  const [row] = await tx.select().from(invoices).where(eq(invoices.stripeInvoiceId, remote.id));
  return row ?? null;
}

/** Stores the Stripe invoice id and hosted link where they are still empty (never overwritten, never cleared). */
export async function linkStripeInvoice(tx: Tx, ours: typeof invoices.$inferSelect, remote: Stripe.Invoice): Promise<boolean> {
  if (ours.stripeInvoiceId && ours.stripeInvoiceId !== remote.id) return false;
  let changed = false;
  if (!ours.stripeInvoiceId) {
    const r = await tx
      .update(invoices)
      .set({ stripeInvoiceId: remote.id })
      .where(and(eq(invoices.tenantId, ours.tenantId), eq(invoices.id, ours.id), isNull(invoices.stripeInvoiceId)))
      .returning({ id: invoices.id });
    changed ||= r.length > 0;
  }
  if (remote.hosted_invoice_url) {
    const r = await tx
      .update(invoices)
      .set({ stripeHostedUrl: remote.hosted_invoice_url })
      .where(and(eq(invoices.tenantId, ours.tenantId), eq(invoices.id, ours.id), isNull(invoices.stripeHostedUrl)))
      .returning({ id: invoices.id });
    changed ||= r.length > 0;
  }
  return changed;
}

/** The tenant a Stripe object belongs to: our metadata first, then the customer we created for it. */
export async function resolveTenant(tx: Tx, params: { metadataTenantId?: string | null; customer?: string | null }): Promise<string | null> {
  const m = params.metadataTenantId;
  if (m && isUuid(m)) {
    const [t] = await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, m));
    if (t) return t.id;
  }
  if (params.customer) {
    const [t] = await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.stripeCustomerId, params.customer));
    if (t) return t.id;
  }
  return null;
}

/** Remembers the tenant's Stripe customer if none is stored yet. */
export async function linkCustomer(tx: Tx, tenantId: string, customer: string | null): Promise<void> {
  if (!customer) return;
  await tx
    .update(tenants)
    .set({ stripeCustomerId: customer })
    .where(and(eq(tenants.id, tenantId), isNull(tenants.stripeCustomerId)));
}

export async function activeSubscription(tx: Tx, tenantId: string) {
  const [row] = await tx
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.tenantId, tenantId), eq(subscriptions.status, "active")))
    .for("update");
  return row ?? null;
}

/**
 * A plan bought through Checkout (or switched in Stripe) takes effect at the next period boundary: the same
 * path as a scheduled downgrade (pending_plan_version_id, applied by the period close). Choosing the current
 * plan again cancels a pending change. Returns whether anything changed.
 */
export async function schedulePlanChange(tx: Tx, params: { tenantId: string; planCode: string; source: string }): Promise<boolean> {
  const sub = await activeSubscription(tx, params.tenantId);
  if (!sub) return false;
  const current = await loadPlanVersion(tx, sub.planVersionId);
  const plan = await findPlan(tx, current.catalogCode, params.planCode);
  if (!plan) return false;
  const [pv] = await tx
    .select({ id: planVersions.id })
    .from(planVersions)
    .where(and(eq(planVersions.planId, plan.id), eq(planVersions.version, plan.currentVersion)));
  if (!pv) return false;
  const target = pv.id === sub.planVersionId ? null : pv.id;
  if (target === sub.pendingPlanVersionId) return false;
  await tx
    .update(subscriptions)
    .set({ pendingPlanVersionId: target })
    .where(and(eq(subscriptions.tenantId, sub.tenantId), eq(subscriptions.id, sub.id)));
  await tx.insert(auditLog).values({
    tenantId: sub.tenantId,
    actorKind: "stripe",
    action: target ? "subscription.plan_change_scheduled" : "subscription.plan_change_canceled",
    entity: "subscription",
    entityId: sub.id,
    data: { planCode: params.planCode, from: current.plan.code, source: params.source, effective: "next_period" },
  });
  return true;
}
