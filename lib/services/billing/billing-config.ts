import { env } from "@/lib/env";
import type { BillingConfig } from "./insert-invoice";

/** Invoice settings from the environment (read once by env()). */
export function billingConfigFromEnv(): BillingConfig {
  const e = env();
  return {
    prefix: e.INVOICE_PREFIX,
    dueDays: e.INVOICE_DUE_DAYS,
    stripeEnabled: Boolean(e.STRIPE_SECRET_KEY),
    // One minute beyond the grace: a request that read the clock just before the grace ran out (and so
    // still counts into the ending period) has committed before the close locks that period's counters.
    lateGraceMinutes: e.USAGE_LATE_GRACE_MINUTES + 1,
  };
}
