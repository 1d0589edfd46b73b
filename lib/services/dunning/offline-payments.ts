/**
 * Payments recorded by an operator admin when Stripe is not used (or money arrived outside it). A failed
 * payment starts dunning exactly as a Stripe failure does; a received payment goes through the billing
 * service (amount checks, invoice paid) and returns the tenant to ok.
 */
import type { Db } from "@/db/client";
import { recordOfflinePayment } from "@/lib/services/billing/invoice-lifecycle";
import { isUuid } from "@/lib/services/billing/invoice-queries";
import { lockInvoiceRow } from "./dunning-context";
import { recordPaymentFailure } from "./record-payment-failure";
import { recordPaymentSuccess } from "./record-payment-success";
import { eq } from "drizzle-orm";
import { invoices } from "@/db/schema";

export async function recordOfflinePaymentFailure(
  db: Db,
  params: { invoiceId: string; reason: string; actorUserId: string; now: Date; appUrl: string },
) {
  if (!isUuid(params.invoiceId)) return { applied: false, skipped: "invoice_not_found" as const };
  const [row] = await db.select({ tenantId: invoices.tenantId }).from(invoices).where(eq(invoices.id, params.invoiceId));
  if (!row) return { applied: false, skipped: "invoice_not_found" as const };
  return db.transaction((tx) =>
    recordPaymentFailure(tx, {
      tenantId: row.tenantId,
      invoiceId: params.invoiceId,
      reason: params.reason.trim() || "payment failed",
      now: params.now,
      actor: { kind: "operator_admin", userId: params.actorUserId },
      appUrl: params.appUrl,
    }),
  );
}

/**
 * Records the payment with the billing service, then (once the invoice is paid) ends dunning at once. Two
 * transactions: if the process died between them, the next dunning run finds nothing unpaid and returns the
 * tenant to ok, so the state converges either way.
 */
export async function recordOfflinePaymentReceived(
  db: Db,
  params: { invoiceId: string; amount: string; reference: string; actorUserId: string; now: Date; appUrl: string },
) {
  const result = await recordOfflinePayment(db, {
    invoiceId: params.invoiceId,
    amount: params.amount,
    reference: params.reference,
    actor: { userId: params.actorUserId, kind: "operator_admin" },
    receivedAt: params.now,
  });
  if (result.invoice.status === "paid") {
    await db.transaction(async (tx) => {
      const inv = await lockInvoiceRow(tx, result.invoice.tenantId, result.invoice.id);
      if (inv) await recordPaymentSuccess(tx, { invoice: inv, now: params.now, actor: { kind: "operator_admin", userId: params.actorUserId }, appUrl: params.appUrl });
    });
  }
  return result;
}

