import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { auditLog, invoices, payments } from "@/db/schema";
import { toDecimal } from "@/lib/domain/money";
import { balanceDue } from "@/lib/services/billing/invoice-queries";
import { lockInvoiceRow, type ActorRef, type InvoiceRow } from "@/lib/services/dunning/dunning-context";
import { recordPaymentSuccess } from "@/lib/services/dunning/record-payment-success";

const STRIPE: ActorRef = { kind: "stripe", userId: null };

/**
 * Stripe says our invoice is paid (invoice.paid / payment_succeeded, or the answer of a pay call). In the
 * caller's transaction, forward only: an open (or uncollectible) invoice gets one Stripe payment for the
 * balance due — unique per Stripe invoice, so every path that learns of the payment records it once — and
 * becomes paid; dunning ends. A paid or void invoice is left as it is.
 */
export async function applyStripeInvoicePaid(
  tx: Tx,
  params: { tenantId: string; invoiceId: string; stripeInvoiceId: string; paidAt: Date; appUrl: string },
): Promise<{ applied: boolean; invoice: InvoiceRow | null }> {
  const inv = await lockInvoiceRow(tx, params.tenantId, params.invoiceId);
  if (!inv) return { applied: false, invoice: null };
  if (inv.status !== "open" && inv.status !== "uncollectible") return { applied: false, invoice: inv };
  const due = toDecimal(await balanceDue(tx, inv));
  const inserted = await tx
    .insert(payments)
    .values({
      tenantId: inv.tenantId,
      invoiceId: inv.id,
      amount: due.toFixed(),
      currency: inv.currency,
      method: "stripe",
      reference: params.stripeInvoiceId,
      // One full payment per Stripe invoice: its id is the payment's unique Stripe reference.
      stripePaymentIntentId: `invoice:${params.stripeInvoiceId}`,
      receivedAt: params.paidAt,
    })
    .onConflictDoNothing()
    .returning({ id: payments.id });
  if (inserted.length === 0) return { applied: false, invoice: inv };
  const [row] = await tx
    .update(invoices)
    .set({ amountPaid: toDecimal(inv.amountPaid).plus(due).toFixed(), status: "paid", paidAt: params.paidAt })
    .where(and(eq(invoices.tenantId, inv.tenantId), eq(invoices.id, inv.id)))
    .returning();
  await tx.insert(auditLog).values({
    tenantId: inv.tenantId,
    actorKind: "stripe",
    action: "invoice.payment_recorded",
    entity: "invoice",
    entityId: inv.id,
    data: { number: inv.number, amount: due.toFixed(), stripeInvoiceId: params.stripeInvoiceId, settled: true },
  });
  await recordPaymentSuccess(tx, { invoice: row, now: params.paidAt, actor: STRIPE, appUrl: params.appUrl });
  return { applied: true, invoice: row };
}
