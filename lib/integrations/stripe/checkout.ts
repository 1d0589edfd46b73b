/**
 * Checkout and the Customer Portal. Meterline rates usage and issues the invoices; Stripe collects. So a plan
 * purchase or change goes through Checkout in `setup` mode: the customer confirms the plan and saves a
 * payment method (no second price list in Stripe, no double billing); checkout.session.completed then
 * applies the plan change through the plan-change service. The Customer Portal manages payment methods.
 */
import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { subscriptions } from "@/db/schema";
import { AppError } from "@/lib/http/errors";
import { findPlan } from "@/lib/services/catalog/sync-catalog";
import { loadPlanVersion } from "@/lib/services/catalog/plan-versions";
import type { Stripe } from "./client";
import { ensureStripeCustomer } from "./customer";

export async function createPlanCheckoutSession(
  db: DbOrTx,
  stripe: Stripe,
  params: { tenantId: string; planCode: string; appUrl: string; requestedBy: string | null },
): Promise<{ id: string; url: string }> {
  const [sub] = await db
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.tenantId, params.tenantId), eq(subscriptions.status, "active")));
  if (!sub) throw new AppError(409, "no_subscription", "the tenant has no active subscription");
  const current = await loadPlanVersion(db, sub.planVersionId);
  const target = await findPlan(db, current.catalogCode, params.planCode);
  if (!target) throw new AppError(400, "unknown_plan", `no plan ${params.planCode} in ${current.catalogCode}`, { planCode: "unknown" });
  const customer = await ensureStripeCustomer(db, stripe, params.tenantId);
  const metadata = {
    meterline_tenant_id: params.tenantId,
    meterline_subscription_id: sub.id,
    meterline_plan_code: params.planCode,
    ...(params.requestedBy ? { meterline_user_id: params.requestedBy } : {}),
  };
  const session = await stripe.checkout.sessions.create({
    mode: "setup",
    customer,
    currency: current.plan.currency.toLowerCase(),
    success_url: `${params.appUrl}/billing?checkout=success`,
    cancel_url: `${params.appUrl}/billing?checkout=canceled`,
    client_reference_id: params.tenantId,
    metadata,
    setup_intent_data: { metadata },
  });
  if (!session.url) throw new AppError(502, "stripe_error", "Stripe returned a Checkout session without a URL");
  return { id: session.id, url: session.url };
}

export async function createPortalSession(
  db: DbOrTx,
  stripe: Stripe,
  params: { tenantId: string; appUrl: string },
): Promise<{ url: string }> {
  const customer = await ensureStripeCustomer(db, stripe, params.tenantId);
  const session = await stripe.billingPortal.sessions.create({ customer, return_url: `${params.appUrl}/billing` });
  return { url: session.url };
}
