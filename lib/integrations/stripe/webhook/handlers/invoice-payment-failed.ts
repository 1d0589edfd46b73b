import { invoicePaymentFailedEvent } from "../invoice-effects";
import type { WebhookHandler } from "../types";

/** invoice.payment_failed: stores the failed attempt (once per attempt number) and starts or continues dunning. */
export const handler: WebhookHandler = { apply: invoicePaymentFailedEvent };
