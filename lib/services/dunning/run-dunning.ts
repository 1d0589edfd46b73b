/**
 * The dunning run (cron `dunning`, daily), with or without Stripe, on an explicit clock `now`:
 *   1. attempts left `scheduled` by an earlier run that crashed are executed (resumable);
 *   2. every subscription in dunning is ticked through the pure state machine (lib/domain/dunning): grace →
 *      past_due → suspended as time passes, retries stored as scheduled attempts on the plan's retry_days,
 *      every state change audited and emailed; a subscription with nothing left unpaid returns to ok;
 *   3. the retries are executed after commit (Stripe charges or, offline, reminders), each in its own
 *      transaction. Row locks with SKIP LOCKED make two overlapping runs safe.
 */
import { and, asc, eq, lte, ne, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditLog, invoices, paymentAttempts, subscriptions } from "@/db/schema";
import { nextDunningStep } from "@/lib/domain/dunning/next-dunning-step";
import type { JobError, JobOutcome } from "@/lib/services/automation/run-job";
import { applyDunningStep } from "./apply-dunning-step";
import { dunningPolicyOf, failedOpenInvoices, lockInvoiceRow, lockSubscription, type ActorRef } from "./dunning-context";
import { notifyPayment } from "./dunning-notifications";
import { manualCollector, type PaymentCollector } from "./payment-collector";
import { recordPaymentFailure } from "./record-payment-failure";

const SYSTEM: ActorRef = { kind: "system", userId: null };

export interface DunningRunOptions {
  now: Date;
  batch?: number;
  collector?: PaymentCollector;
  appUrl: string;
}

type Counts = Record<
  "evaluated" | "state_changes" | "recovered" | "retries_scheduled" | "retries_paid" | "retries_declined" | "reminders" | "retries_deferred",
  number
>;

export async function runDunning(db: Db, options: DunningRunOptions): Promise<JobOutcome> {
  const batch = Math.max(1, Math.min(options.batch ?? 200, 5000));
  const collector = options.collector ?? manualCollector;
  const counts: Counts = { evaluated: 0, state_changes: 0, recovered: 0, retries_scheduled: 0, retries_paid: 0, retries_declined: 0, reminders: 0, retries_deferred: 0 };
  const errors: JobError[] = [];

  await executeScheduledAttempts(db, { ...options, collector, counts, errors, subscriptionId: null });

  const due = await db
    .select({ tenantId: subscriptions.tenantId, id: subscriptions.id })
    .from(subscriptions)
    .where(and(eq(subscriptions.status, "active"), ne(subscriptions.dunningState, "ok")))
    .orderBy(asc(subscriptions.dunningSince), asc(subscriptions.id))
    .limit(batch + 1);
  const hasMore = due.length > batch;
  for (const ref of due.slice(0, batch)) {
    try {
      const scheduled = await tickSubscription(db, ref, options, counts);
      if (scheduled > 0) await executeScheduledAttempts(db, { ...options, collector, counts, errors, subscriptionId: ref.id });
    } catch (err) {
      errors.push({ item: `subscription:${ref.id}`, message: err instanceof Error ? err.message : String(err) });
    }
  }
  return { counts, errors, hasMore };
}

async function tickSubscription(db: Db, ref: { tenantId: string; id: string }, options: DunningRunOptions, counts: Counts): Promise<number> {
  return db.transaction(async (tx) => {
    const sub = await lockSubscription(tx, ref.tenantId, ref.id, true);
    if (!sub || sub.dunningState === "ok" || sub.status !== "active") return 0; // taken by another run, or recovered meanwhile
    counts.evaluated += 1;
    const policy = await dunningPolicyOf(tx, sub);
    const episode = await failedOpenInvoices(tx, sub);
    if (episode.length === 0) {
      // Nothing unpaid is left (paid offline, voided, credited): the tenant is in good standing again.
      const step = nextDunningStep({ state: sub.dunningState, event: "payment_succeeded", failedAt: sub.dunningSince, attempts: 0, now: options.now, policy });
      await applyDunningStep(tx, { sub, step, policy, invoice: null, actor: SYSTEM, appUrl: options.appUrl, reason: "no unpaid invoice left" });
      counts.recovered += 1;
      counts.state_changes += 1;
      return 0;
    }
    const retriesDone = Math.max(0, episode[0].lastAttemptNo - 1);
    const step = nextDunningStep({ state: sub.dunningState, event: "tick", failedAt: sub.dunningSince, attempts: retriesDone, now: options.now, policy });
    const { retries } = await applyDunningStep(tx, { sub, step, policy, invoice: episode[0].invoice, actor: SYSTEM, appUrl: options.appUrl, reason: "dunning schedule" });
    if (step.state !== sub.dunningState) counts.state_changes += 1;
    let scheduled = 0;
    if (retries.length > 0) {
      for (const { invoice, lastAttemptNo } of episode) {
        const rows = await tx
          .insert(paymentAttempts)
          .values({ tenantId: invoice.tenantId, invoiceId: invoice.id, attemptNo: lastAttemptNo + 1, status: "scheduled", scheduledAt: options.now })
          .onConflictDoNothing()
          .returning({ id: paymentAttempts.id });
        if (rows.length > 0) {
          scheduled += 1;
          await tx.insert(auditLog).values({
            tenantId: invoice.tenantId,
            actorKind: "system",
            action: "dunning.retry_scheduled",
            entity: "invoice",
            entityId: invoice.id,
            data: { number: invoice.number, attemptNo: lastAttemptNo + 1, retry: retries[0] },
          });
        }
      }
    }
    counts.retries_scheduled += scheduled;
    return scheduled;
  });
}

/** Executes scheduled attempts (of one subscription, or all that are due), each after its own claim. */
async function executeScheduledAttempts(
  db: Db,
  p: DunningRunOptions & { collector: PaymentCollector; counts: Counts; errors: JobError[]; subscriptionId: string | null },
): Promise<void> {
  const pending = await db
    .select({ attempt: paymentAttempts, subscriptionId: invoices.subscriptionId })
    .from(paymentAttempts)
    .innerJoin(invoices, and(eq(invoices.tenantId, paymentAttempts.tenantId), eq(invoices.id, paymentAttempts.invoiceId)))
    .where(
      and(
        eq(paymentAttempts.status, "scheduled"),
        lte(paymentAttempts.scheduledAt, p.now),
        p.subscriptionId ? eq(invoices.subscriptionId, p.subscriptionId) : sql`true`,
      ),
    )
    .orderBy(asc(paymentAttempts.scheduledAt), asc(paymentAttempts.id))
    .limit(500);
  for (const { attempt } of pending) {
    try {
      const [invoice] = await db
        .select()
        .from(invoices)
        .where(and(eq(invoices.tenantId, attempt.tenantId), eq(invoices.id, attempt.invoiceId)));
      if (!invoice || invoice.status !== "open") {
        await db
          .update(paymentAttempts)
          .set({ status: "succeeded", attemptedAt: p.now, failureReason: `not needed: invoice is ${invoice?.status ?? "gone"}` })
          .where(and(eq(paymentAttempts.tenantId, attempt.tenantId), eq(paymentAttempts.id, attempt.id), eq(paymentAttempts.status, "scheduled")));
        continue;
      }
      const result = await p.collector(db, { invoice, attemptNo: attempt.attemptNo, now: p.now });
      if (result.outcome === "paid") {
        p.counts.retries_paid += 1;
      } else if (result.outcome === "declined") {
        await db.transaction((tx) =>
          recordPaymentFailure(tx, {
            tenantId: invoice.tenantId,
            invoiceId: invoice.id,
            attemptNo: attempt.attemptNo,
            reason: result.reason,
            now: p.now,
            actor: SYSTEM,
            appUrl: p.appUrl,
            stripeReference: result.reference ?? null,
          }),
        );
        p.counts.retries_declined += 1;
      } else {
        await db.transaction(async (tx) => {
          const inv = await lockInvoiceRow(tx, invoice.tenantId, invoice.id);
          const updated = await tx
            .update(paymentAttempts)
            .set({ status: "failed", attemptedAt: p.now, failureReason: "no automatic payment method: reminder sent" })
            .where(and(eq(paymentAttempts.tenantId, attempt.tenantId), eq(paymentAttempts.id, attempt.id), eq(paymentAttempts.status, "scheduled")))
            .returning({ id: paymentAttempts.id });
          if (updated.length > 0 && inv) {
            await notifyPayment(tx, {
              tenantId: inv.tenantId,
              template: "payment_reminder",
              invoice: inv,
              dedupeKey: `payment_reminder:${inv.id}:${attempt.attemptNo}`,
              appUrl: p.appUrl,
            });
          }
        });
        p.counts.reminders += 1;
      }
    } catch (err) {
      p.counts.retries_deferred += 1;
      p.errors.push({ item: `payment_attempt:${attempt.id}`, message: err instanceof Error ? err.message : String(err) });
    }
  }
}


