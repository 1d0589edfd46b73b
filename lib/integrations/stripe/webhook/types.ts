import type Stripe from "stripe";
import type { Tx } from "@/db/client";

export interface WebhookDeps {
  /** For re-fetching objects (so arrival order does not matter); null when Stripe is not configured. */
  stripe: Stripe | null;
  appUrl: string;
}

export interface HandlerContext<P = unknown> {
  tx: Tx;
  event: Stripe.Event;
  deps: WebhookDeps;
  /** When the fact happened: the event's creation time (the dunning clock starts there). */
  at: Date;
  /** What prepare() fetched before the transaction, if anything. */
  prepared: P;
}

export interface HandlerResult {
  tenantId: string | null;
  outcome: "processed" | "ignored";
  note?: string;
}

/**
 * One module per event type. prepare() runs before the database transaction (network calls to Stripe must not
 * hold row locks); apply() runs inside the transaction that also stores the event.
 */
export interface WebhookHandler<P = unknown> {
  prepare?: (event: Stripe.Event, deps: WebhookDeps) => Promise<P>;
  apply: (ctx: HandlerContext<P>) => Promise<HandlerResult>;
}

export const ignored = (note: string, tenantId: string | null = null): HandlerResult => ({ tenantId, outcome: "ignored", note });
export const processed = (tenantId: string | null, note?: string): HandlerResult => ({ tenantId, outcome: "processed", note });
