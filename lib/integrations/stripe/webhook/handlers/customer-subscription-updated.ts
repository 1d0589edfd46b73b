import type Stripe from "stripe";
import { refetchSubscription, subscriptionEvent } from "../subscription-effects";
import type { WebhookHandler } from "../types";

/** customer.subscription.updated: re-fetches the subscription and applies its current state (link, plan, end). */
export const handler: WebhookHandler<Stripe.Subscription | null> = { prepare: refetchSubscription, apply: subscriptionEvent };
