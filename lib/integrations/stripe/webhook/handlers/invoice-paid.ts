import { invoicePaidEvent } from "../invoice-effects";
import type { WebhookHandler } from "../types";

/** invoice.paid: records the Stripe payment once and marks our invoice paid; a tenant in dunning returns to ok. */
export const handler: WebhookHandler = { apply: invoicePaidEvent };
