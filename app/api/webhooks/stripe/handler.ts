import type Stripe from "stripe";
import type { Db } from "@/db/client";
import { processStripeEvent } from "@/lib/integrations/stripe/webhook/process-event";
import { verifyStripeWebhook, WebhookVerificationError } from "@/lib/integrations/stripe/webhook/verify-webhook";
import { errorResponse, AppError } from "@/lib/http/errors";

export interface StripeWebhookDeps {
  getDb: () => Promise<Db>;
  secret: () => string | undefined;
  stripe: () => Stripe | null;
  appUrl: () => string;
  /** Seconds since the epoch, for the signature's timestamp tolerance (tests move it). */
  nowSeconds?: () => number;
}

/** POST /api/webhooks/stripe bound to its dependencies (the route binds the app's; tests bind their own). */
export function createStripeWebhookHandler(deps: StripeWebhookDeps) {
  return async (req: Request): Promise<Response> => {
    // The signature covers the exact bytes: read the raw body, never a re-serialized JSON.
    const rawBody = await req.text();
    let event: Stripe.Event;
    try {
      event = verifyStripeWebhook({ rawBody, signature: req.headers.get("stripe-signature"), secret: deps.secret(), nowSeconds: deps.nowSeconds?.() });
    } catch (err) {
      if (err instanceof WebhookVerificationError) return errorResponse(new AppError(400, "invalid_signature", err.message));
      throw err;
    }
    const result = await processStripeEvent(await deps.getDb(), event, { stripe: deps.stripe(), appUrl: deps.appUrl() });
    if (result.status === 500) {
      // Logged by processStripeEvent with the cause; Stripe retries on any 5xx.
      return Response.json({ error: { code: "webhook_handler_failed", message: "the event could not be processed; Stripe will retry" } }, { status: 500 });
    }
    return Response.json({ received: true, outcome: result.outcome });
  };
}
