/** Event type → handler, one file per type. Types not listed are acknowledged and stored as ignored. */
import type { WebhookHandler } from "../types";
import { handler as checkoutSessionCompleted } from "./checkout-session-completed";
import { handler as subscriptionCreated } from "./customer-subscription-created";
import { handler as subscriptionDeleted } from "./customer-subscription-deleted";
import { handler as subscriptionUpdated } from "./customer-subscription-updated";
import { handler as invoiceCreated } from "./invoice-created";
import { handler as invoiceFinalized } from "./invoice-finalized";
import { handler as invoicePaid } from "./invoice-paid";
import { handler as invoicePaymentFailed } from "./invoice-payment-failed";
import { handler as invoicePaymentSucceeded } from "./invoice-payment-succeeded";
import { handler as paymentMethodAttached } from "./payment-method-attached";

// Each handler knows the type of what its own prepare() returns; the registry does not need to.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const webhookHandlers: Record<string, WebhookHandler<any> | undefined> = {
  "checkout.session.completed": checkoutSessionCompleted,
  "customer.subscription.created": subscriptionCreated,
  "customer.subscription.updated": subscriptionUpdated,
  "customer.subscription.deleted": subscriptionDeleted,
  "invoice.created": invoiceCreated,
  "invoice.finalized": invoiceFinalized,
  "invoice.paid": invoicePaid,
  "invoice.payment_succeeded": invoicePaymentSucceeded,
  "invoice.payment_failed": invoicePaymentFailed,
  "payment_method.attached": paymentMethodAttached,
};
