import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { auditLog, paymentAttempts } from "@/db/schema";
import { nextDunningStep } from "@/lib/domain/dunning/next-dunning-step";
import { applyDunningStep } from "./apply-dunning-step";
import { dunningPolicyOf, failedOpenInvoices, lockInvoiceRow, lockSubscription, type ActorRef } from "./dunning-context";
import { notifyPayment } from "./dunning-notifications";

export interface PaymentFailureResult {
  applied: boolean;
  /** Why nothing changed: a repeated report of the same attempt, or an invoice that is no longer open. */
  skipped?: "duplicate_attempt" | "invoice_not_open" | "invoice_not_found" | "subscription_inactive";
  attemptNo?: number;
  state?: string;
}

/**
 * A payment of an open invoice failed (Stripe's invoice.payment_failed, a declined retry, or an admin recording
 * a failed offline payment). In the caller's transaction: the attempt is stored once (unique per invoice and
 * attempt number — a repeat is a no-op), and the subscription enters dunning (ok → grace, the clock starts at
 * `now`) or stays where time has taken it. An invoice already paid or voided is left alone, so a failure
 * reported after the payment that settled it changes nothing.
 */
export async function recordPaymentFailure(
  tx: Tx,
  params: {
    tenantId: string;
    invoiceId: string;
    /** Stripe's attempt_count when known; otherwise the next number. */
    attemptNo?: number;
    reason: string;
    now: Date;
    actor: ActorRef;
    appUrl: string;
    stripeReference?: string | null;
  },
): Promise<PaymentFailureResult> {
  const invoice = await lockInvoiceRow(tx, params.tenantId, params.invoiceId);
  if (!invoice) return { applied: false, skipped: "invoice_not_found" };
  if (invoice.status !== "open") return { applied: false, skipped: "invoice_not_open" };
  let attemptNo = params.attemptNo;
  if (attemptNo === undefined) {
    const [row] = await tx
      .select({ max: sql<number>`coalesce(max(${paymentAttempts.attemptNo}), 0)`.mapWith(Number) })
      .from(paymentAttempts)
      .where(sql`${paymentAttempts.tenantId} = ${invoice.tenantId} and ${paymentAttempts.invoiceId} = ${invoice.id}`);
    attemptNo = (row?.max ?? 0) + 1;
  }
  const reason = params.reason.slice(0, 500);
  const stored = await tx
    .insert(paymentAttempts)
    .values({
      tenantId: invoice.tenantId,
      invoiceId: invoice.id,
      attemptNo,
      status: "failed",
      scheduledAt: params.now,
      attemptedAt: params.now,
      failureReason: reason,
      stripeReference: params.stripeReference ?? null,
    })
    .onConflictDoUpdate({
      target: [paymentAttempts.tenantId, paymentAttempts.invoiceId, paymentAttempts.attemptNo],
      set: { status: "failed", attemptedAt: params.now, failureReason: reason },
      setWhere: sql`${paymentAttempts.status} = 'scheduled'`,
    })
    .returning({ id: paymentAttempts.id });
  if (stored.length === 0) return { applied: false, skipped: "duplicate_attempt", attemptNo };

  await tx.insert(auditLog).values({
    tenantId: invoice.tenantId,
    actorUserId: params.actor.userId,
    actorKind: params.actor.kind,
    action: "payment.failed",
    entity: "invoice",
    entityId: invoice.id,
    data: { number: invoice.number, attemptNo, reason },
  });

  const sub = await lockSubscription(tx, invoice.tenantId, invoice.subscriptionId);
  if (!sub || sub.status !== "active") return { applied: true, skipped: "subscription_inactive", attemptNo };
  const policy = await dunningPolicyOf(tx, sub);
  const episode = await failedOpenInvoices(tx, sub);
  const retriesDone = sub.dunningState === "ok" ? 0 : Math.max(0, (episode[0]?.lastAttemptNo ?? 1) - 1);
  const step = nextDunningStep({ state: sub.dunningState, event: "payment_failed", failedAt: sub.dunningSince, attempts: retriesDone, now: params.now, policy });
  // Retries belong to the dunning run, which stores them as scheduled attempts; a failure report only moves state.
  step.actions = step.actions.filter((a) => a.type === "notify");
  step.attempts = retriesDone;
  await applyDunningStep(tx, { sub, step, policy, invoice, actor: params.actor, appUrl: params.appUrl, reason: `payment failed: ${reason}` });
  if (sub.dunningState !== "ok") {
    // Already dunning: this was a retry that failed.
    await notifyPayment(tx, {
      tenantId: sub.tenantId,
      template: "payment_retry_failed",
      invoice,
      dedupeKey: `payment_failed:${invoice.id}:${attemptNo}`,
      appUrl: params.appUrl,
    });
  }
  return { applied: true, attemptNo, state: step.state };
}

