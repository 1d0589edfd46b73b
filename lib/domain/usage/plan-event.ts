/**
 * What one validated usage event does to a plan's usage, decided before touching the database:
 * the counters it adds to (metric or credit-pool codes), its daily-rollup rows, its credits, and
 * whether its timestamp is acceptable for the open period.
 */
import type { Catalog, Plan } from "../catalog/types";
import { resolveEvent } from "../rating/resolve-event";
import { canonicalEvent } from "./canonical-json";

export const MAX_FUTURE_MS = 5 * 60_000;

export type EventInput = {
  event_type: string;
  quantity: string;
  timestamp?: string;
  idempotency_key: string;
  properties?: Record<string, string | number | boolean | null>;
};

/** A counter delta: `quantity` is everything recorded, `billable` what counts toward included/limits. */
export type CounterTarget = { code: string; quantity: string; billable: string };

export type RollupRow = {
  day: string;
  metric_code: string;
  event_type: string;
  segment: string;
  quantity: string;
  billable: string;
  credits: string;
};

export type PlannedEvent = {
  idempotencyKey: string;
  eventType: string;
  occurredAt: Date;
  /**
   * The instant that decides the event's billing period: its timestamp, or `now` once the open period's
   * late-event grace has run out (the invoice run may be closing that period right now, so a late event
   * is billed in the period that is current, never into an invoice that is already computed).
   */
  billedAt: Date;
  /** True when `billedAt` lies at or after the open period's end (the next period has begun). */
  afterOpenPeriod: boolean;
  quantity: string;
  properties: Record<string, string | number | boolean | null>;
  /** The code the answer's `usage` reports: the credit pool it burns, else the metric it feeds. */
  primary: string;
  billableQuantity: string;
  credits: string;
  targets: CounterTarget[];
  rollups: RollupRow[];
  /** Canonical JSON of what was asked (without the idempotency key): its hash detects key reuse. */
  canonical: string;
};

export type EventRejection = { status: 400 | 422; code: string; field: string; message: string };

export type PlanEventResult = { ok: true; event: PlannedEvent } | { ok: false; error: EventRejection };

function reject(status: 400 | 422, code: string, field: string, message: string): PlanEventResult {
  return { ok: false, error: { status, code, field, message } };
}

export function planEvent(params: {
  catalog: Catalog;
  plan: Plan;
  event: EventInput;
  now: Date;
  openPeriod: { start: Date; end: Date };
  graceMinutes: number;
}): PlanEventResult {
  const { catalog, plan, event, now, openPeriod } = params;
  const properties = event.properties ?? {};

  const occurredAt = event.timestamp === undefined ? now : new Date(event.timestamp);
  if (Number.isNaN(occurredAt.getTime())) return reject(400, "invalid_timestamp", "timestamp", "expected an ISO 8601 date-time");
  if (occurredAt.getTime() > now.getTime() + MAX_FUTURE_MS) {
    return reject(422, "timestamp_in_future", "timestamp", `timestamp ${occurredAt.toISOString()} is more than 5 minutes in the future`);
  }
  const earliest = openPeriod.start.getTime() - params.graceMinutes * 60_000;
  if (occurredAt.getTime() < earliest) {
    return reject(
      422,
      "timestamp_before_period",
      "timestamp",
      `timestamp ${occurredAt.toISOString()} is before the open billing period (${openPeriod.start.toISOString()}) ` +
        `beyond the ${params.graceMinutes}-minute grace for late events; post a correction instead`,
    );
  }

  const resolved = resolveEvent({ catalog, plan, eventType: event.event_type, quantity: event.quantity, properties });
  if (!resolved.ok) {
    const field = resolved.code === "unknown_event_type" ? "event_type" : resolved.code === "invalid_quantity" ? "quantity" : "properties";
    return reject(400, resolved.code, field, resolved.message);
  }
  const snapshotOnly = resolved.metrics.filter((m) => m.aggregation === "latest" || m.aggregation === "max");
  if (snapshotOnly.length > 0) {
    return reject(
      400,
      "counted_metric",
      "event_type",
      `${snapshotOnly.map((m) => m.metric).join(", ")} is a counted metric: post snapshots to /api/snapshots, not usage events`,
    );
  }

  const day = occurredAt.toISOString().slice(0, 10);
  const targets: CounterTarget[] = [];
  const rollups: RollupRow[] = [];
  for (const c of resolved.credits) {
    targets.push({ code: c.pool, quantity: c.credits, billable: c.credits });
    rollups.push({
      day,
      metric_code: c.pool,
      event_type: resolved.event_type,
      segment: "",
      quantity: resolved.quantity,
      billable: resolved.quantity,
      credits: c.credits,
    });
  }
  for (const m of resolved.metrics) {
    const metric = catalog.metrics.find((x) => x.code === m.metric);
    const raw = metric?.kind === "count" ? (resolved.quantity.startsWith("-") ? "-1" : "1") : resolved.quantity;
    targets.push({ code: m.metric, quantity: raw, billable: m.quantity });
    const breakdown = metric?.breakdowns[0]?.property;
    const value = breakdown ? properties[breakdown] : undefined;
    rollups.push({
      day,
      metric_code: m.metric,
      event_type: resolved.event_type,
      segment: value === undefined || value === null ? "" : String(value).slice(0, 100),
      quantity: raw,
      billable: m.quantity,
      credits: "0",
    });
  }
  const primary = targets[0];
  const graceOver = now.getTime() >= openPeriod.end.getTime() + params.graceMinutes * 60_000;
  const billedAt = graceOver && occurredAt.getTime() < openPeriod.end.getTime() ? now : occurredAt;
  return {
    ok: true,
    event: {
      idempotencyKey: event.idempotency_key,
      eventType: resolved.event_type,
      occurredAt,
      billedAt,
      afterOpenPeriod: billedAt.getTime() >= openPeriod.end.getTime(),
      quantity: resolved.quantity,
      properties,
      primary: primary.code,
      billableQuantity: resolved.credits.length > 0 ? (resolved.billable ? resolved.quantity : "0") : primary.billable,
      credits: resolved.total_credits,
      targets,
      rollups,
      canonical: canonicalEvent({
        event_type: event.event_type,
        quantity: resolved.quantity,
        timestamp: event.timestamp === undefined ? null : occurredAt.toISOString(),
        properties,
      }),
    },
  };
}
