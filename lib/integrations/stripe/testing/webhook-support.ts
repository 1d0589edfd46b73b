/** Signing and delivering Stripe events to the webhook handler in tests. */
import Stripe from "stripe";
import type { Db } from "@/db/client";
import { createStripeWebhookHandler } from "@/app/api/webhooks/stripe/handler";
import { stripeEvent } from "./stripe-stand-in";

export const WEBHOOK_SECRET = "whsec_test_meterline_0123456789";
const signer = new Stripe("sk_test_signer_only");

export function sign(payload: string, options: { secret?: string; timestamp?: number } = {}): string {
  return signer.webhooks.generateTestHeaderString({
    payload,
    secret: options.secret ?? WEBHOOK_SECRET,
    timestamp: options.timestamp ?? Math.floor(Date.now() / 1000),
  });
}

export function webhookRequest(body: string, signature: string | null): Request {
  const headers = new Headers({ "content-type": "application/json" });
  if (signature !== null) headers.set("stripe-signature", signature);
  return new Request("http://meterline.test/api/webhooks/stripe", { method: "POST", headers, body });
}

export function bindWebhook(db: Db, stripe: Stripe | null) {
  return createStripeWebhookHandler({
    getDb: async () => db,
    secret: () => WEBHOOK_SECRET,
    stripe: () => stripe,
    appUrl: () => "http://meterline.test",
  });
}

/** Delivers one event, signed now; returns the status and the JSON answer. */
export async function deliver(handler: (req: Request) => Promise<Response>, event: Record<string, unknown>) {
  const body = JSON.stringify(event);
  const res = await handler(webhookRequest(body, sign(body)));
  return { status: res.status, body: (await res.json()) as { outcome?: string; error?: { code: string } } };
}

export { stripeEvent };
