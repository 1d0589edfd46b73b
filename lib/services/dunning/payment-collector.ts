import type { Db } from "@/db/client";
import type { InvoiceRow } from "./dunning-context";

/** What one collection attempt came to. */
export type CollectionOutcome =
  /** Paid: the collector has already recorded the payment (invoice paid, dunning back to ok). */
  | { outcome: "paid" }
  /** The payment was refused (card declined, …): a failed attempt. */
  | { outcome: "declined"; reason: string; reference?: string | null }
  /** Nothing can be charged automatically (no Stripe, or the invoice is not in Stripe): send a reminder. */
  | { outcome: "manual" };

/**
 * Collects an invoice's payment for a dunning retry. With Stripe it charges the customer's payment method;
 * without, every retry is a reminder. A thrown error is transient: the attempt stays scheduled and the next
 * run tries again (the collector must be idempotent per attempt number).
 */
export type PaymentCollector = (db: Db, params: { invoice: InvoiceRow; attemptNo: number; now: Date }) => Promise<CollectionOutcome>;

export const manualCollector: PaymentCollector = async () => ({ outcome: "manual" });
