import type Stripe from "stripe";
import { applyStripeInvoicePaid } from "../apply-invoice-paid";
import { recordPaymentFailure } from "@/lib/services/dunning/record-payment-failure";
import { findOurInvoice, linkStripeInvoice } from "./links";
import { ignored, processed, type HandlerContext, type HandlerResult } from "./types";

/** invoice.created / invoice.finalized: link the Stripe invoice (and its hosted page) to ours. */
export async function linkInvoiceEvent(ctx: HandlerContext): Promise<HandlerResult> {
  const remote = ctx.event.data.object as Stripe.Invoice;
  const ours = await findOurInvoice(ctx.tx, remote);
  if (!ours) return ignored(`Stripe invoice ${remote.id} is not one of ours`);
  const changed = await linkStripeInvoice(ctx.tx, ours, remote);
  return processed(ours.tenantId, changed ? undefined : "already linked");
}

/** invoice.paid / invoice.payment_succeeded: the invoice is settled (once, whatever the order of events). */
export async function invoicePaidEvent(ctx: HandlerContext): Promise<HandlerResult> {
  const remote = ctx.event.data.object as Stripe.Invoice;
  const ours = await findOurInvoice(ctx.tx, remote);
  if (!ours) return ignored(`Stripe invoice ${remote.id} is not one of ours`);
  await linkStripeInvoice(ctx.tx, ours, remote);
  if (remote.status !== "paid") return processed(ours.tenantId, `Stripe invoice is ${remote.status}`);
  const paidAt = remote.status_transitions?.paid_at ? new Date(remote.status_transitions.paid_at * 1000) : ctx.at;
  const r = await applyStripeInvoicePaid(ctx.tx, { tenantId: ours.tenantId, invoiceId: ours.id, stripeInvoiceId: remote.id, paidAt, appUrl: ctx.deps.appUrl });
  return processed(ours.tenantId, r.applied ? undefined : `invoice already ${r.invoice?.status ?? "settled"}`);
}

/** invoice.payment_failed: a failed attempt (stored once per attempt number) that starts or continues dunning. */
export async function invoicePaymentFailedEvent(ctx: HandlerContext): Promise<HandlerResult> {
  const remote = ctx.event.data.object as Stripe.Invoice;
  const ours = await findOurInvoice(ctx.tx, remote);
  if (!ours) return ignored(`Stripe invoice ${remote.id} is not one of ours`);
  await linkStripeInvoice(ctx.tx, ours, remote);
  const r = await recordPaymentFailure(ctx.tx, {
    tenantId: ours.tenantId,
    invoiceId: ours.id,
    attemptNo: Math.max(1, remote.attempt_count ?? 1),
    reason: remote.last_finalization_error?.message ?? "the payment was declined",
    now: ctx.at,
    actor: { kind: "stripe", userId: null },
    appUrl: ctx.deps.appUrl,
    stripeReference: remote.id,
  });
  return processed(ours.tenantId, r.skipped ? `no change: ${r.skipped}` : undefined);
}
