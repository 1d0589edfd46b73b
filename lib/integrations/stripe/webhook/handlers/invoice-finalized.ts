import { linkInvoiceEvent } from "../invoice-effects";
import type { WebhookHandler } from "../types";

/** invoice.finalized: links the Stripe invoice (and its hosted page, once there is one) to ours. */
export const handler: WebhookHandler = { apply: linkInvoiceEvent };
