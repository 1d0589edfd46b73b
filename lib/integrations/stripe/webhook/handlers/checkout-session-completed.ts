import type Stripe from "stripe";
import { auditLog } from "@/db/schema";
import { applyPlanChange, idOf, linkCustomer, resolveTenant } from "../links";
import { ignored, processed, type WebhookHandler } from "../types";

/**
 * checkout.session.completed: the customer confirmed a plan and saved a payment method. The tenant's Stripe
 * customer is remembered, and the plan chosen goes through the plan-change service (upgrade now, downgrade
 * at the period end: docs/plan-changes.md).
 */
export const handler: WebhookHandler = {
  async apply({ tx, event, at }) {
    const session = event.data.object as Stripe.Checkout.Session;
    const customer = idOf(session.customer);
    const tenantId = await resolveTenant(tx, {
      metadataTenantId: session.metadata?.meterline_tenant_id ?? session.client_reference_id,
      customer,
    });
    if (!tenantId) return ignored(`Checkout session ${session.id} belongs to no tenant`);
    if (session.status && session.status !== "complete") return ignored(`session is ${session.status}`, tenantId);
    await linkCustomer(tx, tenantId, customer);
    const planCode = session.metadata?.meterline_plan_code;
    const change = planCode ? await applyPlanChange(tx, { tenantId, planCode, at }) : null;
    await tx.insert(auditLog).values({
      tenantId,
      actorKind: "stripe",
      action: "stripe.checkout_completed",
      entity: "tenant",
      entityId: tenantId,
      data: { session: session.id, mode: session.mode, planCode: planCode ?? null, planChange: change?.note ?? null },
    });
    return processed(tenantId, change?.note);
  },
};
