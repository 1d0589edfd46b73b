/**
 * What one usage event means for a plan: which metrics it feeds (and whether it is billable under
 * the metric's property filter), how many credits it burns and from which pool. Ingestion calls this
 * for every event. Non-billable events are accepted and recorded, but add nothing to billed usage.
 */
import { dimensionCellOf } from "../catalog/dimensions";
import { componentFor } from "../catalog/lookup";
import type { Catalog, FilterValue, Metric, Plan } from "../catalog/types";
import { creditRulesFor, creditsForEvent } from "../credits/credits-for-event";
import { sumDecimals, toDecimal, type DecimalInput } from "../money";

export type MetricTarget = {
  metric: string;
  /** How the metric's period total is formed from events. */
  aggregation: "sum" | "count" | "latest" | "max";
  /** Dimension cell ("medium:production") for dimensional metrics, else null. */
  cell: string | null;
  billable: boolean;
  /** What this event adds to the metric's billed usage ("1" for count metrics, "0" when not billable). */
  quantity: string;
};

export type CreditTarget = { pool: string; credits_per_unit: string; unit_label: string; credits: string };

export type ResolvedEvent =
  | {
      ok: true;
      event_type: string;
      quantity: string;
      billable: boolean;
      metrics: MetricTarget[];
      credits: CreditTarget[];
      total_credits: string;
    }
  | { ok: false; code: "unknown_event_type" | "invalid_quantity" | "invalid_dimension"; message: string };

export function matchesFilter(filter: Record<string, FilterValue> | null, properties: Record<string, unknown>): boolean {
  if (!filter) return true;
  return Object.entries(filter).every(([key, value]) => properties[key] === value);
}

/** Metrics of the plan fed by this event type (its own code or one of its event_types). */
export function metricsForEventType(params: { catalog: Catalog; plan: Plan; eventType: string }): Metric[] {
  return params.catalog.metrics.filter(
    (m) =>
      (m.code === params.eventType || m.event_types.includes(params.eventType)) &&
      componentFor(params.plan, m.code) !== undefined,
  );
}

export function resolveEvent(params: {
  catalog: Catalog;
  plan: Plan;
  eventType: string;
  quantity: DecimalInput;
  properties?: Record<string, unknown>;
}): ResolvedEvent {
  const { catalog, plan, eventType } = params;
  const properties = params.properties ?? {};
  const metrics = metricsForEventType({ catalog, plan, eventType });
  const rules = creditRulesFor({ plan, eventType });
  if (metrics.length === 0 && rules.length === 0) {
    return { ok: false, code: "unknown_event_type", message: `unknown event type "${eventType}" for plan ${plan.code}` };
  }

  let quantity;
  try {
    quantity = toDecimal(params.quantity);
  } catch {
    return { ok: false, code: "invalid_quantity", message: `quantity must be a decimal, got ${JSON.stringify(params.quantity)}` };
  }
  const correctable = rules.length === 0 && metrics.every((m) => m.corrections);
  if (quantity.isZero() || (quantity.isNegative() && !correctable)) {
    return {
      ok: false,
      code: "invalid_quantity",
      message: `quantity must be ${correctable ? "non-zero" : "positive"} for event type "${eventType}", got ${quantity.toFixed()}`,
    };
  }

  const targets: MetricTarget[] = [];
  for (const metric of metrics) {
    let cell: string | null = null;
    if (metric.dimensions.length > 0) {
      const found = dimensionCellOf(metric, properties);
      if (!found.ok) return { ok: false, code: "invalid_dimension", message: found.message };
      cell = found.cell;
    }
    const billable = matchesFilter(metric.filter, properties);
    const counted = metric.kind === "count" ? (quantity.isNegative() ? "-1" : "1") : quantity.toFixed();
    targets.push({
      metric: metric.code,
      aggregation: metric.kind === "snapshot" ? (metric.aggregation ?? "latest") : metric.kind,
      cell,
      billable,
      quantity: billable ? counted : "0",
    });
  }
  const credits: CreditTarget[] = rules.map(({ pool, rule }) => ({
    pool: pool.code,
    credits_per_unit: rule.credits_per_unit,
    unit_label: rule.unit_label,
    credits: creditsForEvent({ rule, quantity }),
  }));
  return {
    ok: true,
    event_type: eventType,
    quantity: quantity.toFixed(),
    billable: credits.length > 0 || targets.some((t) => t.billable),
    metrics: targets,
    credits,
    total_credits: sumDecimals(credits.map((c) => c.credits)).toFixed(),
  };
}
