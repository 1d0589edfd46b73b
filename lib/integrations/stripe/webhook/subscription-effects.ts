import { and, eq } from "drizzle-orm";
import type Stripe from "stripe";
import { auditLog, subscriptions } from "@/db/schema";
import { activeSubscription, applyPlanChange, idOf, linkCustomer, resolveTenant } from "./links";
import { ignored, processed, type HandlerContext, type HandlerResult, type WebhookDeps } from "./types";

const ENDED = new Set(["canceled", "incomplete_expired"]);

/** Re-fetches the subscription so that whichever event arrives last, the state applied is Stripe's current one. */
export async function refetchSubscription(event: Stripe.Event, deps: WebhookDeps): Promise<Stripe.Subscription | null> {
  if (!deps.stripe) return null;
  const id = (event.data.object as Stripe.Subscription).id;
  try {
    return await deps.stripe.subscriptions.retrieve(id);
  } catch (err) {
    if (err instanceof Error && "statusCode" in err && (err as { statusCode?: number }).statusCode === 404) return null;
    throw err;
  }
}

/**
 * customer.subscription.*: a Stripe subscription mirrors the tenant's plan (Meterline still rates and invoices).
 * Live → linked to our active subscription, and a plan named in its metadata goes through the plan-change
 * service; ended → unlinked. Applied from the re-fetched object, so any arrival order ends the same.
 */
export async function subscriptionEvent(ctx: HandlerContext<Stripe.Subscription | null>): Promise<HandlerResult> {
  const s = ctx.prepared ?? (ctx.event.data.object as Stripe.Subscription);
  const ended = ctx.prepared ? ENDED.has(s.status) : ctx.event.type === "customer.subscription.deleted" || ENDED.has(s.status);
  const customer = idOf(s.customer);
  const tenantId = await resolveTenant(ctx.tx, { metadataTenantId: s.metadata?.meterline_tenant_id, customer });
  if (!tenantId) return ignored(`Stripe subscription ${s.id} belongs to no tenant`);
  await linkCustomer(ctx.tx, tenantId, customer);
  const sub = await activeSubscription(ctx.tx, tenantId);
  if (!sub) return ignored("the tenant has no active subscription", tenantId);
  if (ended) {
    if (sub.stripeSubscriptionId !== s.id) return processed(tenantId, "not linked");
    await ctx.tx.update(subscriptions).set({ stripeSubscriptionId: null }).where(and(eq(subscriptions.tenantId, tenantId), eq(subscriptions.id, sub.id)));
    await ctx.tx.insert(auditLog).values({ tenantId, actorKind: "stripe", action: "stripe.subscription_ended", entity: "subscription", entityId: sub.id, data: { stripeSubscriptionId: s.id, status: s.status } });
    return processed(tenantId);
  }
  if (!sub.stripeSubscriptionId) {
    await ctx.tx.update(subscriptions).set({ stripeSubscriptionId: s.id }).where(and(eq(subscriptions.tenantId, tenantId), eq(subscriptions.id, sub.id)));
    await ctx.tx.insert(auditLog).values({ tenantId, actorKind: "stripe", action: "stripe.subscription_linked", entity: "subscription", entityId: sub.id, data: { stripeSubscriptionId: s.id, status: s.status } });
  } else if (sub.stripeSubscriptionId !== s.id) {
    return ignored(`the tenant is linked to ${sub.stripeSubscriptionId}`, tenantId);
  }
  const planCode = s.metadata?.meterline_plan_code;
  const change = planCode ? await applyPlanChange(ctx.tx, { tenantId, planCode, at: ctx.at }) : null;
  return processed(tenantId, change?.note);
}
