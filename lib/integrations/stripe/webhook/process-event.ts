/**
 * Processing one verified Stripe event. The event row and the event's effects are written in ONE transaction:
 * the row is claimed first (insert, or re-claim of a row whose earlier processing failed); when another
 * delivery already processed it the claim returns nothing and the delivery is a duplicate (200, no change).
 * Concurrent deliveries of one event wait on the row's unique key, so effects happen once. A handler that
 * throws rolls everything back and answers 500 so Stripe retries; the failure is then logged in a row marked
 * `failed`, which the retry re-claims.
 */
import { eq, sql } from "drizzle-orm";
import type Stripe from "stripe";
import type { Db } from "@/db/client";
import { stripeWebhookEvents } from "@/db/schema";
import { webhookHandlers } from "./handlers";
import type { HandlerResult, WebhookDeps } from "./types";

export interface ProcessResult {
  status: 200 | 500;
  outcome: "processed" | "ignored" | "duplicate" | "failed";
  note?: string;
}

export async function processStripeEvent(db: Db, event: Stripe.Event, deps: WebhookDeps, options: { replay?: boolean } = {}): Promise<ProcessResult> {
  const handler = webhookHandlers[event.type];
  const payload = event as unknown as Record<string, unknown>;
  try {
    const prepared = handler?.prepare ? await handler.prepare(event, deps) : undefined;
    return await db.transaction(async (tx) => {
      const processedAt = new Date();
      const claimed = options.replay
        ? await tx
            .update(stripeWebhookEvents)
            .set({ replayCount: sql`${stripeWebhookEvents.replayCount} + 1`, processedAt })
            .where(eq(stripeWebhookEvents.id, event.id))
            .returning({ id: stripeWebhookEvents.id })
        : await tx
            .insert(stripeWebhookEvents)
            .values({ id: event.id, type: event.type, payload, outcome: handler ? "processed" : "ignored", processedAt, error: handler ? null : "no handler for this event type" })
            .onConflictDoUpdate({
              target: stripeWebhookEvents.id,
              set: { outcome: "processed", error: null, processedAt, payload },
              setWhere: sql`${stripeWebhookEvents.outcome} = 'failed'`,
            })
            .returning({ id: stripeWebhookEvents.id });
      if (claimed.length === 0) return { status: 200, outcome: "duplicate" } as const;
      if (!handler) {
        if (options.replay) await tx.update(stripeWebhookEvents).set({ outcome: "ignored", error: "no handler for this event type" }).where(eq(stripeWebhookEvents.id, event.id));
        return { status: 200, outcome: "ignored", note: "no handler for this event type" } as const;
      }
      const result: HandlerResult = await handler.apply({ tx, event, deps, at: new Date(event.created * 1000), prepared });
      await tx
        .update(stripeWebhookEvents)
        .set({ tenantId: result.tenantId, outcome: result.outcome, error: result.note ?? null })
        .where(eq(stripeWebhookEvents.id, event.id));
      return { status: 200, outcome: result.outcome, note: result.note } as const;
    });
  } catch (err) {
    const message = (err instanceof Error ? err.message : String(err)).slice(0, 2000);
    // Logged outside the rolled-back transaction; never over a row another delivery processed.
    await db
      .insert(stripeWebhookEvents)
      .values({ id: event.id, type: event.type, payload, outcome: "failed", error: message, processedAt: new Date() })
      .onConflictDoUpdate({
        target: stripeWebhookEvents.id,
        set: { error: message, processedAt: new Date() },
        setWhere: sql`${stripeWebhookEvents.outcome} = 'failed'`,
      })
      .catch(() => undefined);
    console.error(`stripe webhook ${event.type} ${event.id} failed: ${message}`);
    return { status: 500, outcome: "failed", note: message };
  }
}

/** Re-runs a stored event through its handler (admin replay). Handlers are forward-only, so a replay is safe. */
export async function replayStripeEvent(db: Db, eventId: string, deps: WebhookDeps): Promise<ProcessResult | null> {
  const [row] = await db.select().from(stripeWebhookEvents).where(eq(stripeWebhookEvents.id, eventId));
  if (!row) return null;
  const event = row.payload as unknown as Stripe.Event;
  if (row.outcome === "failed") return processStripeEvent(db, event, deps);
  return processStripeEvent(db, event, deps, { replay: true });
}
