/** Operator reads of the webhook log (/admin/webhooks). Not tenant-scoped: operator admins only. */
import { and, desc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { stripeWebhookEvents, tenants } from "@/db/schema";

export type WebhookOutcome = "processed" | "ignored" | "failed";

export async function listWebhookEvents(db: DbOrTx, params: { outcome?: WebhookOutcome; limit?: number } = {}) {
  const rows = await db
    .select({
      id: stripeWebhookEvents.id,
      type: stripeWebhookEvents.type,
      outcome: stripeWebhookEvents.outcome,
      error: stripeWebhookEvents.error,
      receivedAt: stripeWebhookEvents.receivedAt,
      processedAt: stripeWebhookEvents.processedAt,
      replayCount: stripeWebhookEvents.replayCount,
      tenantId: stripeWebhookEvents.tenantId,
      tenantName: tenants.name,
    })
    .from(stripeWebhookEvents)
    .leftJoin(tenants, eq(tenants.id, stripeWebhookEvents.tenantId))
    .where(params.outcome ? eq(stripeWebhookEvents.outcome, params.outcome) : undefined)
    .orderBy(desc(stripeWebhookEvents.receivedAt), desc(stripeWebhookEvents.id))
    .limit(Math.min(params.limit ?? 100, 500));
  return rows;
}

export async function webhookOutcomeCounts(db: DbOrTx): Promise<Record<WebhookOutcome, number>> {
  const rows = await db
    .select({ outcome: stripeWebhookEvents.outcome, n: sql<number>`count(*)`.mapWith(Number) })
    .from(stripeWebhookEvents)
    .groupBy(stripeWebhookEvents.outcome);
  const out: Record<WebhookOutcome, number> = { processed: 0, ignored: 0, failed: 0 };
  for (const r of rows) out[r.outcome] = r.n;
  return out;
}

export async function getWebhookEvent(db: DbOrTx, id: string) {
  const [row] = await db
    .select({ event: stripeWebhookEvents, tenantName: tenants.name })
    .from(stripeWebhookEvents)
    .leftJoin(tenants, eq(tenants.id, stripeWebhookEvents.tenantId))
    .where(and(eq(stripeWebhookEvents.id, id)));
  return row ?? null;
}
