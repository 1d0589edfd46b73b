/** Finding our rows from Stripe objects, and the forward-only links between them. */
import { and, eq, isNull } from "drizzle-orm";
import type Stripe from "stripe";
import type { Db, Tx } from "@/db/client";
import { invoices, subscriptions, tenants } from "@/db/schema";
import { AppError } from "@/lib/http/errors";
import { isUuid } from "@/lib/services/billing/invoice-queries";
import { changePlan } from "@/lib/services/plan-change/change-plan";

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
 * A plan bought through Checkout (or named on a Stripe subscription) goes through the plan-change service, so
 * Stripe follows the one rule of docs/plan-changes.md: an upgrade applies at once, a downgrade at the period
 * end, the current plan cancels a scheduled change. It runs in a savepoint of the webhook's transaction, at the
 * event's time. A permanent refusal (already on the plan, not allowed) is a note; "the period is being
 * invoiced" is transient and rethrown, so the delivery fails and Stripe retries after the close.
 */
export async function applyPlanChange(tx: Tx, params: { tenantId: string; planCode: string; at: Date }): Promise<{ changed: boolean; note?: string }> {
  try {
    // drizzle runs a transaction opened on a transaction as a savepoint.
    const result = await changePlan(tx as unknown as Db, { tenantId: params.tenantId, planCode: params.planCode, actorUserId: null, now: params.at });
    return { changed: true, note: `plan ${result.kind}: ${result.planCode}` };
  } catch (err) {
    if (err instanceof AppError && err.code !== "period_closing") return { changed: false, note: `plan unchanged: ${err.message}` };
    throw err;
  }
}
