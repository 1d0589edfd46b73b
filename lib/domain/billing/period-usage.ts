/**
 * A closed (or open) period's stored usage → the engine's UsageTotals. Pure: counters and snapshots come
 * in as plain rows with decimal strings.
 *
 *  - metered: the counter's billable quantity (filters such as anomaly=true already applied at ingestion)
 *  - credit pool: the counter keyed by the pool code (credits burned); without one, counters keyed by the
 *    pool's credit event types converted by their credit rules
 *  - counted: the period's latest or max snapshot (per the metric's aggregation); none in the period →
 *    the latest one before it (a count carries forward)
 *  - dimensional: the breakdown of that same snapshot, cells with a zero quantity dropped
 */
import type { Catalog, Metric, Plan } from "../catalog/types";
import { toDecimal } from "../money";
import type { UsageTotals } from "../rating/usage-totals";

export type CounterRecord = { metricCode: string; quantity: string; billableQuantity: string };
export type SnapshotRecord = {
  metricCode: string;
  /** YYYY-MM-DD (UTC day the snapshot stands for). */
  takenOn: string;
  quantity: string;
  breakdown: Record<string, unknown>;
};

/** UTC day of an instant, "YYYY-MM-DD". */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/**
 * Whether a snapshot of `day` belongs to the half-open period [start, end): its day's midnight (UTC) lies
 * in the period. Nightly snapshots of the day a period ends therefore count for the next period.
 */
export function snapshotInPeriod(day: string, period: { start: Date; end: Date }): boolean {
  const t = Date.parse(`${day}T00:00:00.000Z`);
  return t >= period.start.getTime() && t < period.end.getTime();
}

/** The snapshot that stands for the period: latest (by day) or max (by quantity, latest day on ties). */
export function pickSnapshot(params: {
  metric: Pick<Metric, "code" | "aggregation">;
  snapshots: SnapshotRecord[];
  period: { start: Date; end: Date };
}): SnapshotRecord | null {
  const own = params.snapshots.filter((s) => s.metricCode === params.metric.code);
  const inPeriod = own.filter((s) => snapshotInPeriod(s.takenOn, params.period));
  const byDayDesc = (a: SnapshotRecord, b: SnapshotRecord) => (a.takenOn < b.takenOn ? 1 : a.takenOn > b.takenOn ? -1 : 0);
  if (inPeriod.length > 0) {
    const sorted = [...inPeriod].sort(byDayDesc);
    if (params.metric.aggregation === "max") {
      return sorted.reduce((best, s) => (toDecimal(s.quantity).greaterThan(toDecimal(best.quantity)) ? s : best), sorted[0]);
    }
    return sorted[0];
  }
  const startMs = params.period.start.getTime();
  const before = own.filter((s) => Date.parse(`${s.takenOn}T00:00:00.000Z`) < startMs).sort(byDayDesc);
  return before[0] ?? null;
}

function breakdownCells(breakdown: Record<string, unknown>): Record<string, string> {
  const cells: Record<string, string> = {};
  for (const [cell, value] of Object.entries(breakdown ?? {})) {
    if (typeof value !== "string" && typeof value !== "number") continue;
    const q = toDecimal(value);
    if (!q.isZero()) cells[cell] = q.toFixed();
  }
  return cells;
}

export function periodUsageTotals(params: {
  catalog: Catalog;
  plan: Plan;
  counters: CounterRecord[];
  snapshots: SnapshotRecord[];
  period: { start: Date; end: Date };
}): UsageTotals {
  const { catalog, plan, counters, snapshots, period } = params;
  const counter = new Map(counters.map((c) => [c.metricCode, c]));
  const metrics: Record<string, string> = {};
  const dimensional: Record<string, Record<string, string>> = {};
  const credits: Record<string, string> = {};
  const metricOf = (code: string) => catalog.metrics.find((m) => m.code === code);

  for (const c of plan.components) {
    switch (c.kind) {
      case "base_fee":
        break;
      case "metered": {
        const row = counter.get(c.metric);
        metrics[c.metric] = row ? toDecimal(row.billableQuantity).toFixed() : "0";
        break;
      }
      case "credit_pool": {
        const own = counter.get(c.code);
        if (own) {
          credits[c.code] = toDecimal(own.billableQuantity).toFixed();
        } else {
          let total = toDecimal(0);
          for (const rule of c.credit_rules) {
            const row = counter.get(rule.event_type);
            if (row) total = total.plus(toDecimal(row.billableQuantity).times(toDecimal(rule.credits_per_unit)));
          }
          credits[c.code] = total.toFixed();
        }
        break;
      }
      case "counted":
      case "dimensional": {
        const metric = metricOf(c.metric);
        if (!metric) break; // the engine reports the unknown metric
        if (metric.kind !== "snapshot") {
          // An event-fed counted metric (rare): its counter stands for the count.
          const row = counter.get(c.metric);
          if (c.kind === "counted") metrics[c.metric] = row ? toDecimal(row.billableQuantity).toFixed() : "0";
          break;
        }
        const snap = pickSnapshot({ metric, snapshots, period });
        if (c.kind === "counted") metrics[c.metric] = snap ? toDecimal(snap.quantity).toFixed() : "0";
        else dimensional[c.metric] = snap ? breakdownCells(snap.breakdown) : {};
        break;
      }
    }
  }
  return { metrics, dimensional, credits };
}
