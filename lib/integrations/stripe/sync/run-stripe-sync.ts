/**
 * The stripe-sync run (cron every 5 min): claims invoices whose stripe_sync_status is pending and due
 * (FOR UPDATE SKIP LOCKED, then a lease on stripe_next_sync_at so a crashed run's invoices come back after the
 * lease), pushes each to Stripe (push-invoice.ts, resumable), and stores the outcome: synced with the hosted
 * link, or another attempt later with exponential backoff, failed for good after MAX_SYNC_ATTEMPTS. Without
 * Stripe it is a logged no-op.
 */
import { and, asc, eq, inArray, lte } from "drizzle-orm";
import type Stripe from "stripe";
import type { Db } from "@/db/client";
import { invoices } from "@/db/schema";
import type { JobError, JobOutcome } from "@/lib/services/automation/run-job";
import { pushInvoiceToStripe } from "./push-invoice";
import { syncMeterUsage } from "./sync-meter-usage";

export const MAX_SYNC_ATTEMPTS = 8;
/** A claimed invoice is invisible to other runs for this long (then a crashed run's work is picked up). */
export const SYNC_LEASE_MS = 10 * 60_000;

/** 1, 2, 4, … minutes, capped at 6 hours: eight attempts span about four hours, well inside Stripe's 24 h idempotency window. */
export function syncBackoffMs(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 6 * 3_600_000);
}

export interface StripeSyncOptions {
  now: Date;
  batch?: number;
  stripe: Stripe | null;
  appUrl: string;
  /** STRIPE_METER_SYNC=on: also report daily usage to Stripe Billing Meters. */
  meterSync?: boolean;
  log?: (message: string) => void;
}

export async function runStripeSync(db: Db, options: StripeSyncOptions): Promise<JobOutcome> {
  const log = options.log ?? ((m: string) => console.info(m));
  if (!options.stripe) {
    log("stripe-sync: STRIPE_SECRET_KEY is not set; nothing to push (Stripe disabled)");
    return { counts: { stripe_configured: 0, claimed: 0, synced: 0 }, hasMore: false };
  }
  const stripe = options.stripe;
  const batch = Math.max(1, Math.min(options.batch ?? 50, 500));
  const { now } = options;

  const claimed = await db.transaction(async (tx) => {
    const due = await tx
      .select()
      .from(invoices)
      .where(and(eq(invoices.stripeSyncStatus, "pending"), lte(invoices.stripeNextSyncAt, now)))
      .orderBy(asc(invoices.stripeNextSyncAt), asc(invoices.id))
      .limit(batch + 1)
      .for("update", { skipLocked: true });
    const mine = due.slice(0, batch);
    if (mine.length > 0) {
      await tx
        .update(invoices)
        .set({ stripeNextSyncAt: new Date(now.getTime() + SYNC_LEASE_MS) })
        .where(inArray(invoices.id, mine.map((i) => i.id)));
    }
    return { rows: mine, more: due.length > batch };
  });

  const counts = { stripe_configured: 1, claimed: claimed.rows.length, synced: 0, paid: 0, declined: 0, retry_later: 0, failed: 0 };
  const errors: JobError[] = [];
  for (const invoice of claimed.rows) {
    try {
      const result = await pushInvoiceToStripe(db, stripe, { invoice, appUrl: options.appUrl, now });
      await db
        .update(invoices)
        .set({
          stripeSyncStatus: "synced",
          stripeInvoiceId: result.stripeInvoiceId,
          stripeHostedUrl: result.hostedUrl,
          stripeNextSyncAt: null,
          stripeLastError: null,
          stripeSyncAttempts: invoice.stripeSyncAttempts + 1,
        })
        .where(and(eq(invoices.tenantId, invoice.tenantId), eq(invoices.id, invoice.id)));
      counts.synced += 1;
      if (result.collection === "paid") counts.paid += 1;
      if (result.collection === "declined") counts.declined += 1;
    } catch (err) {
      const message = (err instanceof Error ? err.message : String(err)).slice(0, 1000);
      const attempts = invoice.stripeSyncAttempts + 1;
      const final = attempts >= MAX_SYNC_ATTEMPTS;
      await db
        .update(invoices)
        .set({
          stripeSyncStatus: final ? "failed" : "pending",
          stripeSyncAttempts: attempts,
          stripeLastError: message,
          stripeNextSyncAt: final ? null : new Date(now.getTime() + syncBackoffMs(attempts)),
        })
        .where(and(eq(invoices.tenantId, invoice.tenantId), eq(invoices.id, invoice.id)));
      if (final) counts.failed += 1;
      else counts.retry_later += 1;
      errors.push({ item: `invoice:${invoice.number}`, message });
    }
  }
  if (options.meterSync) {
    const meters = await syncMeterUsage(db, stripe, { now, batch: options.batch });
    return { counts: { ...counts, ...meters.counts }, errors: [...errors, ...meters.errors], hasMore: claimed.more || meters.hasMore };
  }
  return { counts, errors, hasMore: claimed.more };
}
