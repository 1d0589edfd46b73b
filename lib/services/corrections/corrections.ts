import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { adjustments, auditLog, subscriptionPeriods, usageCounters, usageEvents } from "@/db/schema";
import { conflict, notFound, unprocessable } from "@/lib/http/errors";
import type { Catalog, Plan } from "@/lib/domain/catalog/types";
import { Decimal, toDecimal } from "@/lib/domain/money";
import { rateUsage } from "@/lib/domain/rating/rate-usage";
import type { UsageTotals } from "@/lib/domain/rating/usage-totals";
import { planEvent, type CounterTarget, type RollupRow } from "@/lib/domain/usage/plan-event";
import { parseQuantity } from "@/lib/domain/usage/parse-quantity";
import { loadPlanVersion } from "@/lib/services/catalog/plan-versions";

export type Actor = { userId: string | null; kind: "operator_admin" | "user" | "system" };

type EventRow = typeof usageEvents.$inferSelect;

/** What the stored event fed, recomputed from the period's (immutable) plan version. */
function effectsOf(event: EventRow, quantity: string, catalog: Catalog, plan: Plan) {
  const planned = planEvent({
    catalog,
    plan,
    event: {
      event_type: event.eventType,
      quantity,
      idempotency_key: event.idempotencyKey,
      properties: event.properties as Record<string, string | number | boolean | null>,
    },
    now: event.occurredAt,
    openPeriod: { start: new Date(0), end: new Date(8.64e15) },
    graceMinutes: 0,
  });
  if (!planned.ok) throw unprocessable(`The event can no longer be resolved: ${planned.error.message}`);
  return { targets: planned.event.targets, rollups: planned.event.rollups, credits: planned.event.credits, billable: planned.event.billableQuantity };
}

const neg = (s: string) => toDecimal(s).negated().toFixed();

async function applyDeltas(
  tx: Tx,
  p: { tenantId: string; subscriptionId: string; periodId: string; targets: CounterTarget[]; rollups: RollupRow[]; events: number },
) {
  for (const t of p.targets) {
    await tx
      .insert(usageCounters)
      .values({
        tenantId: p.tenantId,
        periodId: p.periodId,
        metricCode: t.code,
        subscriptionId: p.subscriptionId,
        quantity: t.quantity,
        billableQuantity: t.billable,
        eventCount: p.events,
      })
      .onConflictDoUpdate({
        target: [usageCounters.tenantId, usageCounters.periodId, usageCounters.metricCode],
        set: {
          quantity: sql`${usageCounters.quantity} + ${t.quantity}::numeric`,
          billableQuantity: sql`${usageCounters.billableQuantity} + ${t.billable}::numeric`,
          eventCount: sql`${usageCounters.eventCount} + ${p.events}`,
          updatedAt: sql`now()`,
        },
      });
  }
  for (const r of p.rollups) {
    await tx.execute(sql`insert into usage_daily_rollups as r (tenant_id, day, metric_code, event_type, segment, subscription_id, quantity, billable_quantity, credits, event_count)
      values (${p.tenantId}, ${r.day}, ${r.metric_code}, ${r.event_type}, ${r.segment}, ${p.subscriptionId}, ${r.quantity}::numeric, ${r.billable}::numeric, ${r.credits}::numeric, ${p.events})
      on conflict (tenant_id, day, metric_code, event_type, segment) do update set
        quantity = r.quantity + excluded.quantity, billable_quantity = r.billable_quantity + excluded.billable_quantity,
        credits = r.credits + excluded.credits, event_count = r.event_count + excluded.event_count`);
  }
}

/** Usage charges of a period from its counters (metered and credit pools; snapshots are not touched by events). */
function usageCharges(catalog: Catalog, plan: Plan, counters: Map<string, Decimal>): Decimal {
  const usage: UsageTotals = { metrics: {}, credits: {} };
  for (const c of plan.components) {
    if (c.kind === "metered") usage.metrics![c.metric] = Decimal.max(0, counters.get(c.metric) ?? 0).toFixed();
    if (c.kind === "credit_pool") usage.credits![c.code] = Decimal.max(0, counters.get(c.code) ?? 0).toFixed();
  }
  const lines = rateUsage({ catalog, plan, usage, scope: "usage_only" }).filter((l) => l.kind === "metered_overage" || l.kind === "credit_overage");
  return lines.reduce((s, l) => s.plus(toDecimal(l.amount)), new Decimal(0));
}

async function lockEvent(tx: Tx, tenantId: string, eventId: string) {
  const [event] = await tx
    .select()
    .from(usageEvents)
    .where(and(eq(usageEvents.tenantId, tenantId), eq(usageEvents.id, eventId)))
    .for("update");
  if (!event) throw notFound("No such usage event for this tenant");
  const [period] = await tx
    .select()
    .from(subscriptionPeriods)
    .where(and(eq(subscriptionPeriods.tenantId, tenantId), eq(subscriptionPeriods.id, event.periodId)))
    .for("update");
  return { event, period };
}

/**
 * Applies a correction's counter deltas; if the period was already invoiced (closed), the change in usage
 * charges becomes an `adjustments` row that the next invoice picks up.
 */
async function settle(
  tx: Tx,
  p: { event: EventRow; period: typeof subscriptionPeriods.$inferSelect; targets: CounterTarget[]; rollups: RollupRow[]; events: number; description: string; actor: Actor; sourceEventId: string },
): Promise<{ adjustmentId: string | null; amount: string | null }> {
  const { catalog, plan } = await loadPlanVersion(tx, p.period.planVersionId);
  let before: Decimal | null = null;
  const counters = new Map<string, Decimal>();
  if (p.period.status === "closed") {
    const rows = await tx
      .select()
      .from(usageCounters)
      .where(and(eq(usageCounters.tenantId, p.event.tenantId), eq(usageCounters.periodId, p.period.id)))
      .for("update");
    for (const r of rows) counters.set(r.metricCode, toDecimal(r.billableQuantity));
    before = usageCharges(catalog, plan, counters);
  }
  await applyDeltas(tx, { tenantId: p.event.tenantId, subscriptionId: p.event.subscriptionId, periodId: p.period.id, targets: p.targets, rollups: p.rollups, events: p.events });
  if (before === null) return { adjustmentId: null, amount: null };
  for (const t of p.targets) counters.set(t.code, (counters.get(t.code) ?? new Decimal(0)).plus(toDecimal(t.billable)));
  const amount = usageCharges(catalog, plan, counters).minus(before);
  if (amount.isZero()) return { adjustmentId: null, amount: "0" };
  const [adj] = await tx
    .insert(adjustments)
    .values({
      tenantId: p.event.tenantId,
      subscriptionId: p.event.subscriptionId,
      description: p.description,
      amount: amount.toFixed(),
      currency: plan.currency,
      sourceEventId: p.sourceEventId,
      createdBy: p.actor.userId,
    })
    .returning();
  return { adjustmentId: adj.id, amount: amount.toFixed() };
}

function requireReason(reason: string): string {
  const r = reason.trim();
  if (r.length < 3 || r.length > 500) throw unprocessable("A reason of 3–500 characters is required", "reason_required", { reason: "3–500 characters" });
  return r;
}

/** Voids an event: its usage is taken back out (the row is kept, marked voided, with the reason). */
export async function voidEvent(db: Db, params: { tenantId: string; eventId: string; reason: string; actor: Actor }) {
  const reason = requireReason(params.reason);
  return db.transaction(async (tx) => {
    const { event, period } = await lockEvent(tx, params.tenantId, params.eventId);
    if (event.voidedAt) throw conflict("This event is already voided", "already_voided");
    const { catalog, plan } = await loadPlanVersion(tx, period.planVersionId);
    const fx = effectsOf(event, toDecimal(event.quantity).toFixed(), catalog, plan);
    await tx
      .update(usageEvents)
      .set({ voidedAt: new Date(), voidReason: reason })
      .where(and(eq(usageEvents.tenantId, event.tenantId), eq(usageEvents.id, event.id)));
    const settled = await settle(tx, {
      event,
      period,
      targets: fx.targets.map((t) => ({ code: t.code, quantity: neg(t.quantity), billable: neg(t.billable) })),
      rollups: fx.rollups.map((r) => ({ ...r, quantity: neg(r.quantity), billable: neg(r.billable), credits: neg(r.credits) })),
      events: -1,
      description: `Usage correction: voided ${event.eventType} × ${toDecimal(event.quantity).toFixed()} of ${period.startsAt.toISOString().slice(0, 10)} — ${reason}`,
      actor: params.actor,
      sourceEventId: event.id,
    });
    await tx.insert(auditLog).values({
      tenantId: event.tenantId,
      actorUserId: params.actor.userId,
      actorKind: params.actor.kind,
      action: "usage_event.voided",
      entity: "usage_event",
      entityId: event.id,
      data: { reason, quantity: event.quantity, event_type: event.eventType, period_status: period.status, adjustment: settled },
    });
    return { eventId: event.id, periodStatus: period.status, ...settled };
  });
}

/**
 * Posts a correcting event: the original's quantity becomes `quantity`; a new event row carries the
 * difference (corrects_event_id → the original, with the reason). The original row is kept unchanged.
 */
export async function correctEvent(db: Db, params: { tenantId: string; eventId: string; quantity: string | number; reason: string; actor: Actor }) {
  const reason = requireReason(params.reason);
  const q = parseQuantity(params.quantity);
  if (!q.ok || q.value.startsWith("-") || q.value === "0") {
    throw unprocessable("The corrected quantity must be a positive decimal (void the event to remove it)", "invalid_quantity", { quantity: q.ok ? "must be positive" : q.message });
  }
  return db.transaction(async (tx) => {
    const { event, period } = await lockEvent(tx, params.tenantId, params.eventId);
    if (event.voidedAt) throw conflict("A voided event cannot be corrected", "already_voided");
    if (event.correctsEventId) throw unprocessable("Correct the original event, not a correction", "not_an_original");
    // The original's current effective quantity: its own plus earlier corrections.
    const [{ current }] = await tx
      .select({ current: sql<string>`(${event.quantity} + coalesce(sum(${usageEvents.quantity}), 0))::text` })
      .from(usageEvents)
      .where(and(eq(usageEvents.tenantId, event.tenantId), eq(usageEvents.correctsEventId, event.id), sql`${usageEvents.voidedAt} is null`));
    if (toDecimal(current).equals(toDecimal(q.value))) throw conflict(`The event's quantity is already ${q.value}`, "no_change");
    const { catalog, plan } = await loadPlanVersion(tx, period.planVersionId);
    const was = effectsOf(event, toDecimal(current).toFixed(), catalog, plan);
    const now = effectsOf(event, q.value, catalog, plan);
    const diff = (a: string, b: string) => toDecimal(a).minus(toDecimal(b)).toFixed();
    const targets = now.targets.map((t, i) => ({ code: t.code, quantity: diff(t.quantity, was.targets[i].quantity), billable: diff(t.billable, was.targets[i].billable) }));
    const rollups = now.rollups.map((r, i) => ({
      ...r,
      quantity: diff(r.quantity, was.rollups[i].quantity),
      billable: diff(r.billable, was.rollups[i].billable),
      credits: diff(r.credits, was.rollups[i].credits),
    }));
    const id = randomUUID();
    await tx.insert(usageEvents).values({
      tenantId: event.tenantId,
      id,
      subscriptionId: event.subscriptionId,
      periodId: event.periodId,
      eventType: event.eventType,
      metricCode: event.metricCode,
      quantity: diff(q.value, current),
      billableQuantity: diff(now.billable, was.billable),
      credits: diff(now.credits, was.credits),
      occurredAt: event.occurredAt,
      properties: event.properties,
      idempotencyKey: `correction:${id}`,
      bodyHash: "correction",
      correctsEventId: event.id,
      correctionReason: reason,
    });
    const settled = await settle(tx, {
      event,
      period,
      targets,
      rollups,
      events: 0,
      description: `Usage correction: ${event.eventType} ${current} → ${q.value} of ${period.startsAt.toISOString().slice(0, 10)} — ${reason}`,
      actor: params.actor,
      sourceEventId: id,
    });
    await tx.insert(auditLog).values({
      tenantId: event.tenantId,
      actorUserId: params.actor.userId,
      actorKind: params.actor.kind,
      action: "usage_event.corrected",
      entity: "usage_event",
      entityId: event.id,
      data: { reason, from: current, to: q.value, correction_event_id: id, period_status: period.status, adjustment: settled },
    });
    return { eventId: event.id, correctionEventId: id, periodStatus: period.status, ...settled };
  });
}
