/**
 * The Stripe SDK, configured from the environment. Stripe is optional: with no STRIPE_SECRET_KEY every
 * caller gets null and Meterline runs on its own (invoices, offline payments, dunning). STRIPE_API_BASE
 * points the SDK at another host (a local stand-in in tests and demos).
 */
import Stripe from "stripe";
import { env } from "@/lib/env";

export type { Stripe };

export interface StripeClientOptions {
  secretKey: string;
  /** e.g. "http://127.0.0.1:12111"; default: api.stripe.com */
  apiBase?: string;
  /** The SDK's own retries (with its idempotency keys); tests use 0 to count calls exactly. */
  maxNetworkRetries?: number;
}

export function createStripeClient(options: StripeClientOptions): Stripe {
  const config: ConstructorParameters<typeof Stripe>[1] = {
    maxNetworkRetries: options.maxNetworkRetries ?? 2,
    timeout: 20_000,
    telemetry: false,
    appInfo: { name: "Meterline" },
  };
  if (options.apiBase) {
    const url = new URL(options.apiBase);
    const protocol = url.protocol === "http:" ? "http" : "https";
    config.host = url.hostname;
    config.port = url.port ? Number(url.port) : protocol === "http" ? 80 : 443;
    config.protocol = protocol;
  }
  return new Stripe(options.secretKey, config);
}

interface StripeGlobal {
  __meterlineStripe?: { key: string; client: Stripe };
}
const g = globalThis as StripeGlobal;

/** The app's Stripe client, or null when STRIPE_SECRET_KEY is not set (Stripe disabled). */
export function stripeFromEnv(): Stripe | null {
  const e = env();
  if (!e.STRIPE_SECRET_KEY) return null;
  if (g.__meterlineStripe?.key !== e.STRIPE_SECRET_KEY) {
    g.__meterlineStripe = { key: e.STRIPE_SECRET_KEY, client: createStripeClient({ secretKey: e.STRIPE_SECRET_KEY, apiBase: e.STRIPE_API_BASE }) };
  }
  return g.__meterlineStripe.client;
}

export function stripeEnabled(): boolean {
  return Boolean(env().STRIPE_SECRET_KEY);
}

/** Verifies and parses a webhook (no API key needed: signature checking is local). */
let verifier: Stripe | undefined;
export function webhookVerifier(): Stripe {
  verifier ??= new Stripe("sk_webhook_verification_only");
  return verifier;
}

/** Stripe's recommended tolerance for a webhook's signed timestamp. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;
