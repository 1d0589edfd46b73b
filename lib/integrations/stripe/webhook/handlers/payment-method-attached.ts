import type Stripe from "stripe";
import { auditLog } from "@/db/schema";
import { idOf, resolveTenant } from "../links";
import { ignored, processed, type WebhookHandler, type WebhookDeps } from "../types";

/**
 * payment_method.attached: a card was saved (Checkout or the Portal). Before the transaction, a customer with
 * no default payment method for invoices gets this one (setting the same value twice is harmless), so the
 * next collection and dunning retry can charge it. The tenant's log records the card brand and last digits.
 */
async function makeDefault(event: Stripe.Event, deps: WebhookDeps): Promise<boolean> {
  const pm = event.data.object as Stripe.PaymentMethod;
  const customer = idOf(pm.customer);
  if (!deps.stripe || !customer) return false;
  const c = await deps.stripe.customers.retrieve(customer);
  if ("deleted" in c && c.deleted) return false;
  if ((c as Stripe.Customer).invoice_settings?.default_payment_method) return false;
  await deps.stripe.customers.update(customer, { invoice_settings: { default_payment_method: pm.id } });
  return true;
}

export const handler: WebhookHandler<boolean> = {
  prepare: makeDefault,
  async apply({ tx, event, prepared }) {
    const pm = event.data.object as Stripe.PaymentMethod;
    const tenantId = await resolveTenant(tx, { metadataTenantId: pm.metadata?.meterline_tenant_id, customer: idOf(pm.customer) });
    if (!tenantId) return ignored(`payment method ${pm.id} belongs to no tenant`);
    await tx.insert(auditLog).values({
      tenantId,
      actorKind: "stripe",
      action: "stripe.payment_method_attached",
      entity: "tenant",
      entityId: tenantId,
      data: { paymentMethod: pm.id, type: pm.type, brand: pm.card?.brand ?? null, last4: pm.card?.last4 ?? null, madeDefault: Boolean(prepared) },
    });
    return processed(tenantId);
  },
};
