/**
 * Changes a tenant's plan in one transaction (subscription row locked), audited.
 *
 *  - upgrade: effective immediately. The subscription and its open period move to the new plan version,
 *    so the period-end invoice (and the upcoming-invoice preview) bill the new plan for the whole period;
 *    included credits and assets of the new plan apply to usage already recorded this period.
 *  - downgrade: scheduled. pending_plan_version_id is set; the period close opens the next period on it.
 *  - choosing the current plan while a downgrade is scheduled cancels the scheduled change.
 */
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditLog, subscriptionPeriods, subscriptions } from "@/db/schema";
import { AppError, conflict, notFound, unprocessable } from "@/lib/http/errors";
import { baseFeeOf } from "@/lib/domain/catalog/lookup";
import { loadPlanVersion } from "@/lib/services/catalog/plan-versions";
import { classifyPlanChange } from "./classify-plan-change";
import { loadOpenPeriodFacts } from "@/lib/services/billing/open-period-facts";
import { blockedReasonFor, contextFor, currentVersionOf, priceOpenPeriod } from "./plan-change-options";

export type PlanChangeResult =
  | { kind: "upgraded"; planCode: string; effectiveAt: Date; periodTotal: string }
  | { kind: "scheduled"; planCode: string; effectiveAt: Date }
  | { kind: "canceled_scheduled"; planCode: string };

export async function changePlan(
  db: Db,
  params: { tenantId: string; planCode: string; actorUserId: string | null; now: Date },
): Promise<PlanChangeResult> {
  return db.transaction(async (tx) => {
    const [sub] = await tx
      .select()
      .from(subscriptions)
      .where(and(eq(subscriptions.tenantId, params.tenantId), eq(subscriptions.status, "active")))
      .for("update");
    if (!sub) throw notFound("No active subscription");
    const [period] = await tx
      .select()
      .from(subscriptionPeriods)
      .where(
        and(
          eq(subscriptionPeriods.tenantId, sub.tenantId),
          eq(subscriptionPeriods.subscriptionId, sub.id),
          eq(subscriptionPeriods.index, sub.currentPeriodIndex),
        ),
      )
      .for("update");
    if (!period || period.status !== "open") throw conflict("The current period is being invoiced; try again in a minute.", "period_closing");
    if (period.endsAt.getTime() <= params.now.getTime()) {
      throw conflict("The current period has ended and is about to be invoiced; try again after the invoice is issued.", "period_closing");
    }

    const ctx = await contextFor(tx, sub, period);
    const target = await currentVersionOf(tx, ctx.catalogCode, params.planCode);
    if (!target) throw unprocessable(`Unknown plan ${params.planCode}`, "unknown_plan", { planCode: "No such plan in your catalog" });
    const direction = classifyPlanChange({
      current: ctx.current.plan,
      target: target.plan,
      currentPosition: ctx.current.position,
      targetPosition: ctx.candidates.find((c) => c.plan.code === target.plan.code)?.position ?? 0,
    });
    const audit = (action: string, data: Record<string, unknown>) =>
      tx.insert(auditLog).values({
        tenantId: sub.tenantId,
        actorUserId: params.actorUserId,
        actorKind: params.actorUserId ? "user" : "system",
        action,
        entity: "subscription",
        entityId: sub.id,
        data: { from: ctx.current.plan.code, to: target.plan.code, periodIndex: period.index, ...data },
      });

    if (direction === "same") {
      if (!sub.pendingPlanVersionId) throw conflict(`You are already on ${target.plan.display_name}.`, "already_on_plan");
      const pending = await loadPlanVersion(tx, sub.pendingPlanVersionId);
      await tx
        .update(subscriptions)
        .set({ pendingPlanVersionId: null })
        .where(and(eq(subscriptions.tenantId, sub.tenantId), eq(subscriptions.id, sub.id)));
      await audit("subscription.plan_change_canceled", { canceled: pending.plan.code });
      return { kind: "canceled_scheduled", planCode: pending.plan.code };
    }

    const facts = await loadOpenPeriodFacts(tx, { subscription: sub, period, catalog: ctx.catalog });
    const blocked = blockedReasonFor(ctx, target.plan, facts);
    if (blocked) throw unprocessable(blocked, "plan_change_not_allowed");

    if (direction === "downgrade") {
      await tx
        .update(subscriptions)
        .set({ pendingPlanVersionId: target.planVersionId })
        .where(and(eq(subscriptions.tenantId, sub.tenantId), eq(subscriptions.id, sub.id)));
      await audit("subscription.plan_change_scheduled", {
        effectiveAt: period.endsAt.toISOString(),
        baseFeeFrom: baseFeeOf(ctx.current.plan),
        baseFeeTo: baseFeeOf(target.plan),
      });
      return { kind: "scheduled", planCode: target.plan.code, effectiveAt: period.endsAt };
    }

    const before = priceOpenPeriod(ctx.catalog, ctx.current.plan, facts).total;
    const after = priceOpenPeriod(ctx.catalog, target.plan, facts).total;
    await tx
      .update(subscriptions)
      .set({ planId: target.planId, planVersionId: target.planVersionId, pendingPlanVersionId: null })
      .where(and(eq(subscriptions.tenantId, sub.tenantId), eq(subscriptions.id, sub.id)));
    await tx
      .update(subscriptionPeriods)
      .set({ planVersionId: target.planVersionId })
      .where(and(eq(subscriptionPeriods.tenantId, sub.tenantId), eq(subscriptionPeriods.id, period.id)));
    await audit("subscription.plan_upgraded", { effectiveAt: params.now.toISOString(), periodTotalBefore: before, periodTotalAfter: after });
    return { kind: "upgraded", planCode: target.plan.code, effectiveAt: params.now, periodTotal: after };
  });
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
