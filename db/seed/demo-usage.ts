import type { Db } from "@/db/client";
import { alerts, snapshots, usageCounters, usageDailyRollups, usageEvents } from "@/db/schema";
import type { Catalog, Plan } from "@/lib/domain/catalog/types";
import { componentFor } from "@/lib/domain/catalog/lookup";
import { crossedThresholds, thresholdsFor } from "@/lib/domain/limits/crossed-thresholds";
import { toDecimal } from "@/lib/domain/money";
import { resolveEvent } from "@/lib/domain/rating/resolve-event";
import { dimensionCells } from "@/lib/domain/catalog/dimensions";
import type { PeriodRow } from "@/lib/services/subscriptions/subscriptions";
import { hashSeed, rng } from "./random";
import type { DemoTenant } from "./demo-profiles";

const DAY = 86_400_000;
// How a credit pool's monthly burn splits over its event types (by position in the plan's credit rules).
const CREDIT_SHARES = [0.6, 0.2, 0.12, 0.08];

interface EventRow {
  eventType: string;
  metricCode: string;
  quantity: string;
  billableQuantity: string;
  credits: string;
  occurredAt: Date;
  properties: Record<string, unknown>;
  periodId: string;
  segment: string;
}

function periodFor(periods: PeriodRow[], at: Date): PeriodRow | undefined {
  return periods.find((p) => p.startsAt <= at && at < p.endsAt);
}

function includedNumber(included: string | "unlimited" | undefined, fallback: number): number {
  if (!included || included === "unlimited" || Number(included) === 0) return fallback;
  return Number(included);
}

/**
 * Writes `days` of realistic usage for one demo tenant straight into events, counters, daily rollups,
 * snapshots and alerts — the same rows ingestion writes — sized from the plan's included quantities.
 */
export async function writeDemoUsage(
  db: Db,
  params: {
    tenantId: string;
    subscriptionId: string;
    catalog: Catalog;
    plan: Plan;
    profile: DemoTenant;
    periods: PeriodRow[];
    from: Date;
    now: Date;
  },
): Promise<{ events: number; snapshots: number }> {
  const { catalog, plan, profile, periods, now } = params;
  const r = rng(hashSeed(profile.slug));
  const events: EventRow[] = [];
  const snapshotRows: (typeof snapshots.$inferInsert)[] = [];
  const current = periods[periods.length - 1];
  const metricsByCode = new Map(catalog.metrics.map((m) => [m.code, m]));

  const push = (eventType: string, quantity: number, at: Date, properties: Record<string, unknown>) => {
    if (quantity <= 0) return;
    const period = periodFor(periods, at);
    if (!period) return;
    const resolved = resolveEvent({ catalog, plan, eventType, quantity: String(quantity), properties });
    if (!resolved.ok) return;
    const credit = resolved.credits[0];
    const metric = resolved.metrics[0];
    const metricCode = credit ? credit.pool : metric.metric;
    const breakdown = metricsByCode.get(metric?.metric ?? "")?.breakdowns[0]?.property;
    events.push({
      eventType,
      metricCode,
      quantity: resolved.quantity,
      billableQuantity: credit ? resolved.total_credits : metric.quantity,
      credits: resolved.total_credits,
      occurredAt: at,
      properties,
      periodId: period.id,
      segment: breakdown && properties[breakdown] !== undefined ? String(properties[breakdown]) : "",
    });
  };

  const periodDays = (at: Date) => {
    const p = periodFor(periods, at);
    return p ? (p.endsAt.getTime() - p.startsAt.getTime()) / DAY : 30;
  };
  // The current period runs at `currentLoad` of included by now; earlier ones at `load` over the whole period.
  const dailyFraction = (at: Date) => {
    const p = periodFor(periods, at);
    if (p && p.id === current.id && profile.currentLoad !== undefined) {
      const elapsed = Math.max(1, (now.getTime() - p.startsAt.getTime()) / DAY);
      return profile.currentLoad / elapsed;
    }
    return profile.load / periodDays(at);
  };

  for (let t = params.from.getTime(); t < now.getTime(); t += DAY) {
    const day = new Date(t);
    const frac = dailyFraction(day) * r.between(0.85, 1.15);
    const at = (hour: number) => {
      const d = new Date(t + hour * 3_600_000 + r.int(0, 3_599_999));
      return d < now ? d : new Date(now.getTime() - r.int(1_000, 3_600_000));
    };
    for (const component of plan.components) {
      if (component.kind === "credit_pool") {
        const credits = Number(component.included) * frac;
        component.credit_rules.forEach((rule, i) => {
          const units = (credits * (CREDIT_SHARES[i] ?? 0.05)) / Number(rule.credits_per_unit);
          const perEvent = Number(rule.credits_per_unit) >= 100 ? 1 : Math.max(1, Math.round(units / 8));
          const count = Math.max(0, Math.round(units / perEvent));
          for (let n = 0; n < Math.min(count, 24); n++) {
            const quantity = count > 24 ? Math.round((units / 24) * r.between(0.8, 1.2)) : perEvent;
            push(rule.event_type, quantity, at(r.int(6, 22)), { site: `site-${r.int(1, profile.sites ?? 1)}` });
          }
        });
      } else if (component.kind === "metered") {
        const metric = metricsByCode.get(component.metric)!;
        const eventType = metric.event_types[0] ?? metric.code;
        const target = includedNumber(component.included, 1_000) * frac;
        const props = () => {
          const p: Record<string, unknown> = {};
          for (const b of metric.breakdowns) p[b.property] = r.pick(b.values ?? ["default"]);
          return p;
        };
        if (metric.kind === "count") {
          const count = Math.min(40, Math.max(1, Math.round(target)));
          for (let n = 0; n < count; n++) push(eventType, 1, at(r.int(0, 23)), props());
        } else if (metric.filter) {
          // Only filtered events bill (e.g. anomaly: true); about a quarter of detections are not anomalies.
          const perEvent = Math.max(1, Math.round(target / 6));
          for (let n = 0; n < 8; n++) {
            const billable = n < 6;
            const filterProps = Object.fromEntries(
              Object.entries(metric.filter).map(([k, v]) => [k, billable ? v : typeof v === "boolean" ? !v : `not-${v}`]),
            );
            push(eventType, perEvent, at(r.int(0, 23)), { ...props(), ...filterProps });
          }
        } else {
          const n = r.int(4, 8);
          for (let i = 0; i < n; i++) push(eventType, Math.max(1, Math.round((target / n) * r.between(0.7, 1.3))), at(r.int(0, 23)), props());
        }
      } else if (component.kind === "counted" || component.kind === "dimensional") {
        const metric = metricsByCode.get(component.metric)!;
        const period = periodFor(periods, day);
        if (!period) continue;
        let quantity: number;
        let breakdown: Record<string, number> = {};
        if (component.kind === "dimensional") {
          const cells = dimensionCells(metric);
          for (const [i, cell] of cells.entries()) if (i % 2 === 0) breakdown[cell] = 1 + ((i + hashSeed(profile.slug)) % 3);
          quantity = Object.values(breakdown).reduce((a, b) => a + b, 0);
        } else {
          const base = includedNumber(component.included, 40);
          quantity = Math.max(1, Math.round(base * profile.load * (1.05 + 0.08 * Math.sin(t / (7 * DAY)))));
          if (metric.code === "assets" && profile.sites) {
            breakdown = {};
            let left = quantity;
            for (let s = 1; s <= profile.sites; s++) {
              const share = s === profile.sites ? left : Math.round(quantity / profile.sites);
              breakdown[`site-${s}`] = share;
              left -= share;
            }
          }
        }
        snapshotRows.push({
          tenantId: params.tenantId,
          subscriptionId: params.subscriptionId,
          metricCode: metric.code,
          takenOn: day.toISOString().slice(0, 10),
          quantity: String(quantity),
          breakdown,
          source: "seed",
          takenAt: new Date(t + 60_000),
        });
      }
    }
  }

  // Events in chunks; counters and rollups aggregated here with exact decimals.
  const eventRows = events.map((e, i) => ({
    tenantId: params.tenantId,
    subscriptionId: params.subscriptionId,
    periodId: e.periodId,
    eventType: e.eventType,
    metricCode: e.metricCode,
    quantity: e.quantity,
    billableQuantity: e.billableQuantity,
    credits: e.credits,
    occurredAt: e.occurredAt,
    properties: e.properties,
    idempotencyKey: `seed:${profile.slug}:${i}`,
    bodyHash: "seed",
    createdAt: e.occurredAt,
  }));
  for (let i = 0; i < eventRows.length; i += 500) await db.insert(usageEvents).values(eventRows.slice(i, i + 500));
  for (let i = 0; i < snapshotRows.length; i += 500) await db.insert(snapshots).values(snapshotRows.slice(i, i + 500));

  const counters = new Map<string, { periodId: string; metricCode: string; quantity: ReturnType<typeof toDecimal>; billable: ReturnType<typeof toDecimal>; count: number }>();
  const rollups = new Map<string, typeof usageDailyRollups.$inferInsert & { q: ReturnType<typeof toDecimal>; b: ReturnType<typeof toDecimal>; c: ReturnType<typeof toDecimal> }>();
  for (const e of events) {
    const ck = `${e.periodId}|${e.metricCode}`;
    const c = counters.get(ck) ?? { periodId: e.periodId, metricCode: e.metricCode, quantity: toDecimal(0), billable: toDecimal(0), count: 0 };
    c.quantity = c.quantity.plus(e.quantity);
    c.billable = c.billable.plus(e.billableQuantity);
    c.count += 1;
    counters.set(ck, c);
    const day = e.occurredAt.toISOString().slice(0, 10);
    const rk = `${day}|${e.metricCode}|${e.eventType}|${e.segment}`;
    const ro = rollups.get(rk) ?? {
      tenantId: params.tenantId,
      day,
      metricCode: e.metricCode,
      eventType: e.eventType,
      segment: e.segment,
      subscriptionId: params.subscriptionId,
      q: toDecimal(0),
      b: toDecimal(0),
      c: toDecimal(0),
      eventCount: 0,
    };
    ro.q = ro.q.plus(e.quantity);
    ro.b = ro.b.plus(e.billableQuantity);
    ro.c = ro.c.plus(e.credits);
    ro.eventCount = (ro.eventCount ?? 0) + 1;
    rollups.set(rk, ro);
  }
  const counterRows = [...counters.values()].map((c) => ({
    tenantId: params.tenantId,
    periodId: c.periodId,
    metricCode: c.metricCode,
    subscriptionId: params.subscriptionId,
    quantity: c.quantity.toFixed(),
    billableQuantity: c.billable.toFixed(),
    eventCount: c.count,
  }));
  if (counterRows.length) await db.insert(usageCounters).values(counterRows);
  const rollupRows = [...rollups.values()].map(({ q, b, c, ...row }) => ({
    ...row,
    quantity: q.toFixed(),
    billableQuantity: b.toFixed(),
    credits: c.toFixed(),
  }));
  for (let i = 0; i < rollupRows.length; i += 500) await db.insert(usageDailyRollups).values(rollupRows.slice(i, i + 500));

  // Alerts each period would have fired.
  const alertRows: (typeof alerts.$inferInsert)[] = [];
  for (const c of counters.values()) {
    const component = componentFor(plan, c.metricCode);
    if (!component || !("included" in component)) continue;
    const period = periods.find((p) => p.id === c.periodId)!;
    for (const t of crossedThresholds({ thresholds: thresholdsFor({ plan, code: c.metricCode }), included: component.included, before: 0, after: c.billable })) {
      alertRows.push({
        tenantId: params.tenantId,
        subscriptionId: params.subscriptionId,
        periodId: c.periodId,
        metricCode: c.metricCode,
        thresholdPercent: t.percent,
        name: t.code,
        usedAtFire: toDecimal(component.included).times(t.percent).dividedBy(100).toFixed(),
        included: component.included,
        firedAt: new Date(Math.min(now.getTime(), period.startsAt.getTime() + (period.endsAt.getTime() - period.startsAt.getTime()) * 0.8)),
      });
    }
  }
  if (alertRows.length) await db.insert(alerts).values(alertRows);
  return { events: events.length, snapshots: snapshotRows.length };
}
