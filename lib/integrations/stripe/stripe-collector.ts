import Stripe from "stripe";
import type { PaymentCollector } from "@/lib/services/dunning/payment-collector";
import { applyStripeInvoicePaid } from "./apply-invoice-paid";
import { invoiceKey } from "./sync/push-invoice";

/**
 * Dunning retries through Stripe: charges the Stripe invoice again (keyed per attempt, so a retried run never
 * charges twice). An invoice not (yet) in Stripe is collected manually (a reminder).
 */
export function stripeCollector(stripe: Stripe, appUrl: string): PaymentCollector {
  return async (db, { invoice, attemptNo, now }) => {
    const sid = invoice.stripeInvoiceId;
    if (!sid) return { outcome: "manual" };
    let remote: Stripe.Invoice;
    try {
      remote = await stripe.invoices.pay(sid, {}, { idempotencyKey: invoiceKey(invoice.id, `pay-${attemptNo}`) });
    } catch (err) {
      if (err instanceof Stripe.errors.StripeCardError) return { outcome: "declined", reason: err.message, reference: sid };
      if (err instanceof Stripe.errors.StripeInvalidRequestError && err.code === "invoice_already_paid") {
        remote = await stripe.invoices.retrieve(sid);
      } else {
        throw err;
      }
    }
    if (remote.status !== "paid") return { outcome: "declined", reason: `Stripe invoice is ${remote.status}`, reference: sid };
    const paidAt = remote.status_transitions?.paid_at ? new Date(remote.status_transitions.paid_at * 1000) : now;
    await db.transaction((tx) => applyStripeInvoicePaid(tx, { tenantId: invoice.tenantId, invoiceId: invoice.id, stripeInvoiceId: sid, paidAt, appUrl }));
    return { outcome: "paid" };
  };
}
