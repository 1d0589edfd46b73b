import { getDb } from "@/db";
import { env } from "@/lib/env";
import { stripeFromEnv } from "@/lib/integrations/stripe/client";
import { createStripeWebhookHandler } from "./handler";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const POST = createStripeWebhookHandler({
  getDb,
  secret: () => env().STRIPE_WEBHOOK_SECRET,
  stripe: stripeFromEnv,
  appUrl: () => env().APP_URL,
});
