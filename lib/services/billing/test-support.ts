/** Shared set-up for billing tests: counters and snapshots written straight into a period. */
import type { Db } from "@/db/client";
import { snapshots, usageCounters } from "@/db/schema";
import { findPeriod } from "@/lib/services/subscriptions/subscriptions";

export async function putCounter(
  db: Db,
  p: { tenantId: string; subscriptionId: string; periodId: string; metricCode: string; quantity: string; billable?: string },
) {
  await db
    .insert(usageCounters)
    .values({
      tenantId: p.tenantId,
      subscriptionId: p.subscriptionId,
      periodId: p.periodId,
      metricCode: p.metricCode,
      quantity: p.quantity,
      billableQuantity: p.billable ?? p.quantity,
      eventCount: 1,
    })
    .onConflictDoUpdate({
      target: [usageCounters.tenantId, usageCounters.periodId, usageCounters.metricCode],
      set: { quantity: p.quantity, billableQuantity: p.billable ?? p.quantity },
    });
}

export async function putSnapshot(
  db: Db,
  p: { tenantId: string; subscriptionId: string; metricCode: string; day: string; quantity: string; breakdown?: Record<string, unknown> },
) {
  await db.insert(snapshots).values({
    tenantId: p.tenantId,
    subscriptionId: p.subscriptionId,
    metricCode: p.metricCode,
    takenOn: p.day,
    quantity: p.quantity,
    breakdown: p.breakdown ?? {},
    source: "api",
  });
}

export async function periodByIndex(db: Db, p: { tenantId: string; subscriptionId: string; index: number }) {
  return (await findPeriod(db, p))!;
}

export const TEST_BILLING = { prefix: "INV", dueDays: 14, stripeEnabled: false } as const;
