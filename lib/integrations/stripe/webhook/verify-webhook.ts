import type Stripe from "stripe";
import { WEBHOOK_TOLERANCE_SECONDS, webhookVerifier } from "../client";

export class WebhookVerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WebhookVerificationError";
  }
}

/**
 * Verifies the Stripe-Signature header over the raw body (HMAC with the endpoint secret, timestamp within
 * 300 s) and parses the event. Anything wrong throws WebhookVerificationError (→ 400, nothing written).
 */
export function verifyStripeWebhook(params: { rawBody: string; signature: string | null; secret: string | undefined; nowSeconds?: number }): Stripe.Event {
  if (!params.secret) throw new WebhookVerificationError("STRIPE_WEBHOOK_SECRET is not set");
  if (!params.signature) throw new WebhookVerificationError("missing Stripe-Signature header");
  try {
    return webhookVerifier().webhooks.constructEvent(params.rawBody, params.signature, params.secret, WEBHOOK_TOLERANCE_SECONDS, undefined, params.nowSeconds);
  } catch (err) {
    throw new WebhookVerificationError(err instanceof Error ? err.message : "invalid signature");
  }
}
