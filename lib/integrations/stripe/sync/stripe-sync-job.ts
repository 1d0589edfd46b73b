import type { Db } from "@/db/client";
import { env } from "@/lib/env";
import { deliverOutbox } from "@/lib/integrations/email/deliver-outbox";
import { emailSenderFromEnv } from "@/lib/integrations/email/sender-from-env";
import type { JobOutcome } from "@/lib/services/automation/run-job";
import { stripeFromEnv } from "../client";
import { runStripeSync } from "./run-stripe-sync";

/**
 * The body of the `stripe-sync` cron job (every 5 minutes): pushes pending invoices to Stripe (a logged no-op
 * without STRIPE_SECRET_KEY), then delivers the email outbox (nothing without SMTP_URL). One automation run.
 */
export async function runStripeSyncJob(db: Db, options: { now: Date; batch?: number }): Promise<JobOutcome> {
  const e = env();
  const sync = await runStripeSync(db, { now: options.now, batch: options.batch, stripe: stripeFromEnv(), appUrl: e.APP_URL, meterSync: e.STRIPE_METER_SYNC === "on" });
  const mail = await deliverOutbox(db, { now: options.now, batch: options.batch, sender: emailSenderFromEnv() });
  return {
    counts: { ...sync.counts, ...mail.counts },
    errors: [...(sync.errors ?? []), ...mail.errors],
    hasMore: Boolean(sync.hasMore) || mail.hasMore,
  };
}
