import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { paymentAttempts } from "@/db/schema";
import { nextDunningStep } from "@/lib/domain/dunning/next-dunning-step";
import { applyDunningStep } from "./apply-dunning-step";
import { dunningPolicyOf, lockSubscription, type ActorRef, type InvoiceRow } from "./dunning-context";
import { notifyPayment } from "./dunning-notifications";

/**
 * An invoice was paid (Stripe invoice.paid, a successful retry, an offline payment recorded by an admin).
 * Call it in the same transaction that marked the invoice paid: attempts still scheduled for that invoice are
 * settled, the "payment received" email is queued once per invoice, and a subscription in dunning returns to
 * ok at once (audited, with its own email).
 */
export async function recordPaymentSuccess(
  tx: Tx,
  params: { invoice: InvoiceRow; now: Date; actor: ActorRef; appUrl: string },
): Promise<{ recovered: boolean }> {
  const { invoice } = params;
  await tx
    .update(paymentAttempts)
    .set({ status: "succeeded", attemptedAt: params.now, failureReason: null })
    .where(and(eq(paymentAttempts.tenantId, invoice.tenantId), eq(paymentAttempts.invoiceId, invoice.id), eq(paymentAttempts.status, "scheduled")));
  await notifyPayment(tx, {
    tenantId: invoice.tenantId,
    template: "payment_succeeded",
    invoice,
    dedupeKey: `payment_succeeded:${invoice.id}`,
    appUrl: params.appUrl,
  });
  const sub = await lockSubscription(tx, invoice.tenantId, invoice.subscriptionId);
  if (!sub || sub.dunningState === "ok") return { recovered: false };
  const policy = await dunningPolicyOf(tx, sub);
  const step = nextDunningStep({ state: sub.dunningState, event: "payment_succeeded", failedAt: sub.dunningSince, attempts: 0, now: params.now, policy });
  await applyDunningStep(tx, { sub, step, policy, invoice, actor: params.actor, appUrl: params.appUrl, reason: `invoice ${invoice.number} paid` });
  return { recovered: true };
}
