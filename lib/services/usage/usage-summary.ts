import { and, desc, eq, gte, lt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { snapshots, subscriptionPeriods, usageCounters, usageDailyRollups } from "@/db/schema";
import { notFound, paymentRequired } from "@/lib/http/errors";
import { creditBalance } from "@/lib/domain/credits/credit-balance";
import { includedFor, limitFor } from "@/lib/domain/limits/limit-for";
import { pricedCodes } from "@/lib/domain/catalog/lookup";
import type { Included } from "@/lib/domain/catalog/types";
import { toDecimal } from "@/lib/domain/money";
import type { ApiKeyContext } from "@/lib/services/api-keys/authenticate-api-key";
import { loadPlanVersion } from "@/lib/services/catalog/plan-versions";

export type MetricSummary = {
  metric: string;
  kind: "metered" | "counted" | "dimensional" | "credit_pool";
  used: string;
  recorded: string;
  events: number;
  included: Included | null;
  percent: string | null;
  limit: string;
};

export type UsageSummary = {
  period: { id: string; label: string; start: string; end: string; status: "open" | "closed" };
  plan: { code: string; name: string; currency: string };
  metrics: MetricSummary[];
  credits: null | {
    pool: string;
    included: string;
    used: string;
    remaining: string | null;
    percent: string | null;
    by_event_type: Record<string, string>;
  };
};

/** `current` or a `YYYY-MM` month: the period of the tenant's subscription that starts in that month. */
export async function usageSummary(db: Db, auth: ApiKeyContext, period: string): Promise<UsageSummary> {
  const sub = auth.subscription;
  if (!sub) throw paymentRequired("This tenant has no active subscription", "no_active_subscription");
  let row: typeof subscriptionPeriods.$inferSelect | undefined;
  if (period === "current") {
    [row] = await db
      .select()
      .from(subscriptionPeriods)
      .where(and(eq(subscriptionPeriods.tenantId, auth.tenantId), eq(subscriptionPeriods.id, sub.period.id)));
  } else {
    [row] = await db
      .select()
      .from(subscriptionPeriods)
      .where(
        and(
          eq(subscriptionPeriods.tenantId, auth.tenantId),
          sql`to_char(${subscriptionPeriods.startsAt} at time zone 'UTC', 'YYYY-MM') = ${period}`,
        ),
      )
      .orderBy(desc(subscriptionPeriods.startsAt))
      .limit(1);
  }
  if (!row) throw notFound(`No billing period starting in ${period}`);
  const priced = await loadPlanVersion(db, row.planVersionId);
  const plan = priced.plan;

  const [counters, rollups, snaps] = await Promise.all([
    db.select().from(usageCounters).where(and(eq(usageCounters.tenantId, auth.tenantId), eq(usageCounters.periodId, row.id))),
    db
      .select({
        metricCode: usageDailyRollups.metricCode,
        eventType: usageDailyRollups.eventType,
        credits: sql<string>`sum(${usageDailyRollups.credits})::text`,
      })
      .from(usageDailyRollups)
      .where(
        and(
          eq(usageDailyRollups.tenantId, auth.tenantId),
          gte(usageDailyRollups.day, row.startsAt.toISOString().slice(0, 10)),
          lt(usageDailyRollups.day, row.endsAt.toISOString().slice(0, 10)),
        ),
      )
      .groupBy(usageDailyRollups.metricCode, usageDailyRollups.eventType),
    db
      .select()
      .from(snapshots)
      .where(
        and(
          eq(snapshots.tenantId, auth.tenantId),
          eq(snapshots.subscriptionId, row.subscriptionId),
          gte(snapshots.takenOn, row.startsAt.toISOString().slice(0, 10)),
          lt(snapshots.takenOn, row.endsAt.toISOString().slice(0, 10)),
        ),
      )
      .orderBy(desc(snapshots.takenOn)),
  ]);
  const byCode = new Map(counters.map((c) => [c.metricCode, c]));

  const metrics: MetricSummary[] = [];
  let credits: UsageSummary["credits"] = null;
  for (const code of pricedCodes(plan)) {
    const component = plan.components.find((c) => c.kind !== "base_fee" && (c.kind === "credit_pool" ? c.code === code : c.metric === code))!;
    const kind = component.kind as MetricSummary["kind"];
    const included = includedFor({ plan, code });
    let used = "0";
    let recorded = "0";
    let events = 0;
    if (kind === "counted" || kind === "dimensional") {
      const metric = priced.catalog.metrics.find((m) => m.code === code);
      const mine = snaps.filter((s) => s.metricCode === code);
      const value =
        metric?.aggregation === "max"
          ? mine.reduce((m, s) => (toDecimal(s.quantity).greaterThan(m) ? toDecimal(s.quantity) : m), toDecimal(0))
          : toDecimal(mine[0]?.quantity ?? "0");
      used = recorded = value.toFixed();
      events = mine.length;
    } else {
      const c = byCode.get(code);
      used = toDecimal(c?.billableQuantity ?? "0").toFixed();
      recorded = toDecimal(c?.quantity ?? "0").toFixed();
      events = Number(c?.eventCount ?? 0);
    }
    const balance = included === null ? null : creditBalance({ included, used });
    metrics.push({ metric: code, kind, used, recorded, events, included, percent: balance?.percent ?? null, limit: limitFor({ plan, code }).kind });
    if (kind === "credit_pool" && credits === null && balance && component.kind === "credit_pool") {
      const byEvent: Record<string, string> = {};
      for (const r of rollups) if (r.metricCode === code) byEvent[r.eventType] = toDecimal(r.credits).toFixed();
      credits = { pool: code, included: balance.included, used, remaining: balance.remaining, percent: balance.percent, by_event_type: byEvent };
    }
  }
  return {
    period: {
      id: row.id,
      label: row.startsAt.toISOString().slice(0, 7),
      start: row.startsAt.toISOString(),
      end: row.endsAt.toISOString(),
      status: row.status,
    },
    plan: { code: plan.code, name: plan.display_name, currency: plan.currency },
    metrics,
    credits,
  };
}
