import { and, eq } from "drizzle-orm";
import type { DbOrTx, Tx } from "@/db/client";
import { promotionRedemptions, promotions, subscriptionPeriods, subscriptions } from "@/db/schema";
import { periodAt, periodContaining, type BillingInterval } from "@/lib/domain/period";
import type { Plan } from "@/lib/domain/catalog/types";
import { loadPlanVersion } from "@/lib/services/catalog/plan-versions";

export type SubscriptionRow = typeof subscriptions.$inferSelect;
export type PeriodRow = typeof subscriptionPeriods.$inferSelect;

export function intervalOf(plan: Plan): BillingInterval {
  return plan.interval;
}

/** Inserts the period row for `index` (or returns the existing one: unique per subscription and index). */
export async function ensurePeriod(
  tx: DbOrTx,
  params: { tenantId: string; subscriptionId: string; anchorAt: Date; plan: Plan; planVersionId: string; index: number },
): Promise<PeriodRow> {
  const p = periodAt({ anchor: params.anchorAt, interval: intervalOf(params.plan), index: params.index });
  await tx
    .insert(subscriptionPeriods)
    .values({
      tenantId: params.tenantId,
      subscriptionId: params.subscriptionId,
      index: params.index,
      startsAt: p.start,
      endsAt: p.end,
      planVersionId: params.planVersionId,
    })
    .onConflictDoNothing();
  return (await findPeriod(tx, params))!;
}

/** The period row of a subscription by index, if it exists. */
export async function findPeriod(
  db: DbOrTx,
  params: { tenantId: string; subscriptionId: string; index: number },
): Promise<PeriodRow | undefined> {
  const [row] = await db
    .select()
    .from(subscriptionPeriods)
    .where(
      and(
        eq(subscriptionPeriods.tenantId, params.tenantId),
        eq(subscriptionPeriods.subscriptionId, params.subscriptionId),
        eq(subscriptionPeriods.index, params.index),
      ),
    );
  return row;
}

/**
 * Starts a subscription anchored at `anchorAt` and opens the period that contains `now` (earlier periods
 * are created too, closed later by the invoice run). Optionally redeems a promotion code from period 0.
 */
export async function createSubscription(
  tx: Tx,
  params: { tenantId: string; planVersionId: string; anchorAt: Date; now: Date; promotionCode?: string },
): Promise<{ subscription: SubscriptionRow; period: PeriodRow }> {
  const priced = await loadPlanVersion(tx, params.planVersionId);
  const current = periodContaining({ anchor: params.anchorAt, interval: intervalOf(priced.plan), at: params.now });
  const [subscription] = await tx
    .insert(subscriptions)
    .values({
      tenantId: params.tenantId,
      planId: priced.planId,
      planVersionId: priced.planVersionId,
      anchorAt: params.anchorAt,
      currentPeriodIndex: current.index,
      currentPeriodStart: current.start,
      currentPeriodEnd: current.end,
      promotionCode: params.promotionCode ?? null,
      promotionStartIndex: params.promotionCode ? 0 : null,
    })
    .returning();
  let period: PeriodRow | undefined;
  for (let i = 0; i <= current.index; i++) {
    period = await ensurePeriod(tx, {
      tenantId: params.tenantId,
      subscriptionId: subscription.id,
      anchorAt: params.anchorAt,
      plan: priced.plan,
      planVersionId: priced.planVersionId,
      index: i,
    });
  }
  if (params.promotionCode) {
    const [promo] = await tx.select().from(promotions).where(eq(promotions.code, params.promotionCode));
    if (!promo) throw new Error(`unknown promotion ${params.promotionCode}`);
    await tx
      .insert(promotionRedemptions)
      .values({ tenantId: params.tenantId, promotionId: promo.id, subscriptionId: subscription.id, firstPeriodIndex: 0 });
  }
  return { subscription, period: period! };
}

/** The tenant's live subscription with its open period (the one `current_period_index` points at). */
export async function getActiveSubscription(db: DbOrTx, tenantId: string) {
  const [row] = await db
    .select({ subscription: subscriptions, period: subscriptionPeriods })
    .from(subscriptions)
    .innerJoin(
      subscriptionPeriods,
      and(
        eq(subscriptionPeriods.tenantId, subscriptions.tenantId),
        eq(subscriptionPeriods.subscriptionId, subscriptions.id),
        eq(subscriptionPeriods.index, subscriptions.currentPeriodIndex),
      ),
    )
    .where(and(eq(subscriptions.tenantId, tenantId), eq(subscriptions.status, "active")));
  return row ?? null;
}
