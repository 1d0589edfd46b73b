import { invoicePaidEvent } from "../invoice-effects";
import type { WebhookHandler } from "../types";

/** invoice.payment_succeeded: records the Stripe payment once and marks our invoice paid; a tenant in dunning returns to ok. */
export const handler: WebhookHandler = { apply: invoicePaidEvent };
