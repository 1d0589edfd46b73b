/**
 * What /billing/usage shows, read from pre-aggregated rows only — daily rollups (usage_daily_rollups),
 * per-period counters (usage_counters) and snapshots — never by scanning usage_events.
 * Every query is scoped by tenant. Decimals stay strings; chart points carry a plotting number beside them.
 */
import { and, asc, desc, eq, gte, lt, ne, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { snapshots, subscriptionPeriods, usageCounters, usageDailyRollups } from "@/db/schema";
import { findMetric } from "@/lib/domain/catalog/lookup";
import type { Catalog, Plan } from "@/lib/domain/catalog/types";
import { toDecimal } from "@/lib/domain/money";
import { loadPlanVersion } from "@/lib/services/catalog/plan-versions";
import { getActiveSubscription } from "@/lib/services/subscriptions/subscriptions";

const DAY = 86_400_000;

export interface UsageSeries {
  key: string;
  label: string;
}
export interface DailyPoint {
  day: string;
  /** Plotting values per series key (display only; exact values are in `exact`). */
  values: Record<string, number>;
  exact: Record<string, string>;
}
export interface HistoryPoint {
  periodIndex: number;
  start: Date;
  end: Date;
  used: string;
  usedNumber: number;
  included: string | null;
  current: boolean;
}
export interface CreditRuleView {
  eventType: string;
  name: string;
  creditsPerUnit: string;
  unitLabel: string;
}
export interface UsageView {
  currency: string;
  plan: { code: string; displayName: string };
  period: { index: number; start: Date; end: Date };
  /** The main measure: a credit pool when the plan has one, else its first metered metric. */
  primary: { code: string; name: string; unit: string; included: string | null; pricePerUnit: string | null } | null;
  creditsByEventType: { eventType: string; name: string; unitLabel: string; units: string; credits: string; creditsNumber: number; events: number }[];
  daily: { series: UsageSeries[]; points: DailyPoint[] };
  history: HistoryPoint[];
  breakdowns: { title: string; property: string; asOf: string | null; rows: { segment: string; quantity: string; quantityNumber: number; unit: string }[] }[];
  creditRules: CreditRuleView[];
  creditPool: { code: string; name: string; included: string; pricePerCredit: string; used: string } | null;
}

export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}
/** The first UTC day not in [start, end): a period ending mid-day still owns that day. */
function endDayExclusive(end: Date): string {
  const day = utcDay(end);
  return Date.parse(`${day}T00:00:00.000Z`) >= end.getTime() ? day : utcDay(new Date(Date.parse(`${day}T00:00:00.000Z`) + DAY));
}

function primaryOf(catalog: Catalog, plan: Plan): UsageView["primary"] {
  for (const c of plan.components) {
    if (c.kind === "credit_pool") return { code: c.code, name: c.name, unit: "credit", included: c.included, pricePerUnit: c.price_per_credit };
  }
  for (const c of plan.components) {
    if (c.kind === "metered") {
      const m = findMetric(catalog, c.metric);
      return { code: m.code, name: m.name, unit: m.unit, included: c.included === "unlimited" ? null : c.included, pricePerUnit: null };
    }
  }
  return null;
}

export async function getUsageView(db: DbOrTx, params: { tenantId: string; now: Date }): Promise<UsageView | null> {
  const { tenantId, now } = params;
  const active = await getActiveSubscription(db, tenantId);
  if (!active) return null;
  const { subscription: sub, period } = active;
  const { plan, catalog } = await loadPlanVersion(db, period.planVersionId);
  const startDay = utcDay(period.startsAt);
  const endDay = endDayExclusive(period.endsAt);
  const primary = primaryOf(catalog, plan);
  const pools = plan.components.filter((c) => c.kind === "credit_pool");
  const poolCodes = new Set(pools.map((p) => p.code));
  const metered = plan.components.filter((c) => c.kind === "metered");

  const [byDayType, history, segments, latestSnaps] = await Promise.all([
    db
      .select({
        day: usageDailyRollups.day,
        metricCode: usageDailyRollups.metricCode,
        eventType: usageDailyRollups.eventType,
        quantity: sql<string>`sum(${usageDailyRollups.quantity})::text`,
        billable: sql<string>`sum(${usageDailyRollups.billableQuantity})::text`,
        credits: sql<string>`sum(${usageDailyRollups.credits})::text`,
        events: sql<string>`sum(${usageDailyRollups.eventCount})::text`,
      })
      .from(usageDailyRollups)
      .where(and(eq(usageDailyRollups.tenantId, tenantId), gte(usageDailyRollups.day, startDay), lt(usageDailyRollups.day, endDay)))
      .groupBy(usageDailyRollups.day, usageDailyRollups.metricCode, usageDailyRollups.eventType)
      .orderBy(asc(usageDailyRollups.day)),
    primary
      ? db
          .select({
            index: subscriptionPeriods.index,
            startsAt: subscriptionPeriods.startsAt,
            endsAt: subscriptionPeriods.endsAt,
            planVersionId: subscriptionPeriods.planVersionId,
            billable: usageCounters.billableQuantity,
          })
          .from(subscriptionPeriods)
          .leftJoin(
            usageCounters,
            and(
              eq(usageCounters.tenantId, subscriptionPeriods.tenantId),
              eq(usageCounters.periodId, subscriptionPeriods.id),
              eq(usageCounters.metricCode, primary.code),
            ),
          )
          .where(
            and(
              eq(subscriptionPeriods.tenantId, tenantId),
              eq(subscriptionPeriods.subscriptionId, sub.id),
              sql`${subscriptionPeriods.index} <= ${period.index}`,
            ),
          )
          .orderBy(desc(subscriptionPeriods.index))
          .limit(6)
      : Promise.resolve([]),
    db
      .select({
        metricCode: usageDailyRollups.metricCode,
        segment: usageDailyRollups.segment,
        quantity: sql<string>`sum(${usageDailyRollups.billableQuantity})::text`,
      })
      .from(usageDailyRollups)
      .where(
        and(
          eq(usageDailyRollups.tenantId, tenantId),
          gte(usageDailyRollups.day, startDay),
          lt(usageDailyRollups.day, endDay),
          ne(usageDailyRollups.segment, ""),
        ),
      )
      .groupBy(usageDailyRollups.metricCode, usageDailyRollups.segment),
    db
      .selectDistinctOn([snapshots.metricCode], { metricCode: snapshots.metricCode, takenOn: snapshots.takenOn, breakdown: snapshots.breakdown })
      .from(snapshots)
      .where(and(eq(snapshots.tenantId, tenantId), eq(snapshots.subscriptionId, sub.id), lt(snapshots.takenOn, endDay)))
      .orderBy(snapshots.metricCode, desc(snapshots.takenOn)),
  ]);

  // Credits by event type over the period.
  const ruleInfo = new Map<string, { name: string; unitLabel: string }>();
  for (const p of pools) if (p.kind === "credit_pool") for (const r of p.credit_rules) ruleInfo.set(r.event_type, { name: r.name, unitLabel: r.unit_label });
  const byType = new Map<string, { units: ReturnType<typeof toDecimal>; credits: ReturnType<typeof toDecimal>; events: number }>();
  for (const r of byDayType) {
    if (!poolCodes.has(r.metricCode)) continue;
    const cur = byType.get(r.eventType) ?? { units: toDecimal(0), credits: toDecimal(0), events: 0 };
    cur.units = cur.units.plus(toDecimal(r.quantity));
    cur.credits = cur.credits.plus(toDecimal(r.credits));
    cur.events += Number(r.events);
    byType.set(r.eventType, cur);
  }
  const ruleOrder = [...ruleInfo.keys()];
  const creditsByEventType = [...byType.entries()]
    .map(([eventType, v]) => ({
      eventType,
      name: ruleInfo.get(eventType)?.name ?? eventType,
      unitLabel: ruleInfo.get(eventType)?.unitLabel ?? "unit",
      units: v.units.toFixed(),
      credits: v.credits.toFixed(),
      creditsNumber: v.credits.toNumber(),
      events: v.events,
    }))
    .sort((a, b) => (ruleOrder.indexOf(a.eventType) + 1 || 99) - (ruleOrder.indexOf(b.eventType) + 1 || 99));

  // Daily series: credits per event type for a credit pool plan; billable quantity per metric otherwise.
  const series: UsageSeries[] = pools.length
    ? ruleOrder.map((t) => ({ key: t, label: ruleInfo.get(t)!.name }))
    : metered.map((c) => {
        const m = findMetric(catalog, (c as { metric: string }).metric);
        return { key: m.code, label: m.name };
      });
  const lastDay = utcDay(new Date(Math.min(now.getTime(), period.endsAt.getTime() - 1)));
  const points: DailyPoint[] = [];
  const index = new Map<string, DailyPoint>();
  for (let t = Date.parse(`${startDay}T00:00:00.000Z`); utcDay(new Date(t)) <= lastDay; t += DAY) {
    const day = utcDay(new Date(t));
    const point: DailyPoint = { day, values: {}, exact: {} };
    for (const s of series) {
      point.values[s.key] = 0;
      point.exact[s.key] = "0";
    }
    points.push(point);
    index.set(day, point);
  }
  for (const r of byDayType) {
    const point = index.get(r.day);
    if (!point) continue;
    const key = pools.length ? (poolCodes.has(r.metricCode) ? r.eventType : null) : r.metricCode;
    if (!key || !(key in point.exact)) continue;
    const v = toDecimal(point.exact[key]).plus(toDecimal(pools.length ? r.credits : r.billable));
    point.exact[key] = v.toFixed();
    point.values[key] = v.toNumber();
  }

  const historyPoints: HistoryPoint[] = history
    .map((h) => {
      const used = toDecimal(h.billable ?? "0");
      return {
        periodIndex: h.index,
        start: h.startsAt,
        end: h.endsAt,
        used: used.toFixed(),
        usedNumber: used.toNumber(),
        included: primary?.included ?? null,
        current: h.index === period.index,
      };
    })
    .reverse();

  // Breakdowns: rollup segments (e.g. business-os `vertical`) and the latest snapshot's breakdown (e.g. assets per site).
  const breakdowns: UsageView["breakdowns"] = [];
  const segMetrics = new Set(segments.map((s) => s.metricCode));
  for (const code of segMetrics) {
    const metric = catalog.metrics.find((m) => m.code === code);
    const b = metric?.breakdowns[0];
    const rows = segments
      .filter((s) => s.metricCode === code)
      .map((s) => ({ segment: s.segment, quantity: toDecimal(s.quantity).toFixed(), quantityNumber: toDecimal(s.quantity).toNumber(), unit: metric?.unit ?? "" }))
      .sort((a, b2) => b2.quantityNumber - a.quantityNumber);
    breakdowns.push({ title: `${metric?.name ?? code} by ${b?.name.toLowerCase() ?? "segment"}`, property: b?.name ?? "Segment", asOf: null, rows });
  }
  for (const s of latestSnaps) {
    const metric = catalog.metrics.find((m) => m.code === s.metricCode);
    if (!metric || !metric.breakdowns.length) continue;
    const cells = Object.entries((s.breakdown ?? {}) as Record<string, unknown>).filter(([, v]) => typeof v === "number" || typeof v === "string");
    if (!cells.length) continue;
    breakdowns.push({
      title: `${metric.name} by ${metric.breakdowns[0].name.toLowerCase()}`,
      property: metric.breakdowns[0].name,
      asOf: s.takenOn,
      rows: cells
        .map(([segment, v]) => ({ segment, quantity: toDecimal(String(v)).toFixed(), quantityNumber: toDecimal(String(v)).toNumber(), unit: metric.unit }))
        .sort((a, b) => a.segment.localeCompare(b.segment)),
    });
  }

  const pool = pools[0]?.kind === "credit_pool" ? pools[0] : null;
  const poolUsed = pool ? historyPoints.find((h) => h.current)?.used ?? "0" : "0";
  return {
    currency: plan.currency,
    plan: { code: plan.code, displayName: plan.display_name },
    period: { index: period.index, start: period.startsAt, end: period.endsAt },
    primary,
    creditsByEventType,
    daily: { series, points },
    history: historyPoints,
    breakdowns,
    creditRules: pool ? pool.credit_rules.map((r) => ({ eventType: r.event_type, name: r.name, creditsPerUnit: r.credits_per_unit, unitLabel: r.unit_label })) : [],
    creditPool: pool ? { code: pool.code, name: pool.name, included: pool.included, pricePerCredit: pool.price_per_credit, used: poolUsed } : null,
  };
}
