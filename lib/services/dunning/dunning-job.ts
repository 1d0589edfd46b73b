import type { Db } from "@/db/client";
import { env } from "@/lib/env";
import { deliverOutbox } from "@/lib/integrations/email/deliver-outbox";
import { emailSenderFromEnv } from "@/lib/integrations/email/sender-from-env";
import { stripeFromEnv } from "@/lib/integrations/stripe/client";
import { stripeCollector } from "@/lib/integrations/stripe/stripe-collector";
import type { JobOutcome } from "@/lib/services/automation/run-job";
import { manualCollector } from "./payment-collector";
import { runDunning } from "./run-dunning";

/**
 * The body of the `dunning` cron job (daily): the dunning run with Stripe retries when STRIPE_SECRET_KEY is set
 * (reminders otherwise), then the email outbox, so the step emails leave in the same run.
 */
export async function runDunningJob(db: Db, options: { now: Date; batch?: number }): Promise<JobOutcome> {
  const e = env();
  const stripe = stripeFromEnv();
  const dunning = await runDunning(db, {
    now: options.now,
    batch: options.batch,
    appUrl: e.APP_URL,
    collector: stripe ? stripeCollector(stripe, e.APP_URL) : manualCollector,
  });
  const mail = await deliverOutbox(db, { now: options.now, batch: options.batch, sender: emailSenderFromEnv() });
  return {
    counts: { ...dunning.counts, ...mail.counts },
    errors: [...(dunning.errors ?? []), ...mail.errors],
    hasMore: Boolean(dunning.hasMore) || mail.hasMore,
  };
}
