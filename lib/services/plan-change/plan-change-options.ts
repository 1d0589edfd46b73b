/**
 * What the plans page offers: every plan of the subscription's catalog with what changing to it would do,
 * priced by the engine (pricePeriodInvoice) over the open period's stored facts.
 *
 * Rule (docs/plan-changes.md): an upgrade takes effect at once and the open period's invoice bills the new
 * plan for the whole period; a downgrade takes effect at the next period boundary (pending_plan_version_id,
 * applied by the period close).
 */
import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { planVersions, plans } from "@/db/schema";
import { pricePeriodInvoice } from "@/lib/domain/billing/price-period-invoice";
import { checkPromotionForPlan } from "@/lib/domain/invoicing/promotion-applies";
import { baseFeeOf } from "@/lib/domain/catalog/lookup";
import type { Catalog, Plan } from "@/lib/domain/catalog/types";
import type { InvoicePreview } from "@/lib/domain/invoicing/build-invoice-preview";
import { formatAmount, toDecimal } from "@/lib/domain/money";
import { listCatalogPlans, loadPlanVersion } from "@/lib/services/catalog/plan-versions";
import { getActiveSubscription, type PeriodRow, type SubscriptionRow } from "@/lib/services/subscriptions/subscriptions";
import { classifyPlanChange, type PlanChangeDirection } from "./classify-plan-change";
import { loadOpenPeriodFacts, type PeriodFacts } from "@/lib/services/billing/open-period-facts";

export interface PlanOption {
  planCode: string;
  planVersionId: string;
  displayName: string;
  description: string | null;
  currency: string;
  baseFee: string;
  features: string[];
  direction: PlanChangeDirection;
  /** "now" for upgrades, "period_end" for downgrades, null for the current plan. */
  effective: "now" | "period_end" | null;
  effectiveAt: Date | null;
  /** The open period's invoice total on this plan (for upgrades: what the next invoice will be). */
  periodTotal: string;
  /** periodTotal − the current plan's periodTotal (upgrades); base-fee difference per period (downgrades). */
  difference: string;
  /** Why this change cannot be made (e.g. a promotion that does not apply to the plan). */
  blockedReason: string | null;
  isCurrent: boolean;
  isPending: boolean;
}

export interface PlanChangeContext {
  subscription: SubscriptionRow;
  period: PeriodRow;
  catalog: Catalog;
  catalogCode: string;
  current: { plan: Plan; planVersionId: string; position: number };
  pending: { planCode: string; displayName: string; planVersionId: string } | null;
  candidates: { plan: Plan; planVersionId: string; planId: string; position: number }[];
}

export async function loadPlanChangeContext(db: DbOrTx, tenantId: string): Promise<PlanChangeContext | null> {
  const active = await getActiveSubscription(db, tenantId);
  if (!active) return null;
  return contextFor(db, active.subscription, active.period);
}

export async function contextFor(db: DbOrTx, subscription: SubscriptionRow, period: PeriodRow): Promise<PlanChangeContext> {
  const current = await loadPlanVersion(db, period.planVersionId);
  const listed = await listCatalogPlans(db, current.catalogCode);
  const positions = await db
    .select({ code: plans.code, position: plans.position })
    .from(plans)
    .where(eq(plans.catalogCode, current.catalogCode));
  const positionOf = (code: string) => positions.find((p) => p.code === code)?.position ?? 0;
  let pending: PlanChangeContext["pending"] = null;
  if (subscription.pendingPlanVersionId) {
    const p = await loadPlanVersion(db, subscription.pendingPlanVersionId);
    pending = { planCode: p.plan.code, displayName: p.plan.display_name, planVersionId: p.planVersionId };
  }
  return {
    subscription,
    period,
    catalog: current.catalog,
    catalogCode: current.catalogCode,
    current: { plan: current.plan, planVersionId: current.planVersionId, position: positionOf(current.plan.code) },
    pending,
    candidates: listed.map((c) => ({ plan: c.plan, planVersionId: c.planVersionId, planId: c.planId, position: positionOf(c.plan.code) })),
  };
}

/** Prices the open period on `plan` exactly as the period close would. */
export function priceOpenPeriod(catalog: Catalog, plan: Plan, facts: PeriodFacts): InvoicePreview {
  return pricePeriodInvoice({
    ...facts,
    catalog,
    plan,
    interimInvoices: plan.threshold_invoicing ? facts.interimInvoices : [],
  });
}

/** Why a change to `target` is refused, or null. */
export function blockedReasonFor(ctx: PlanChangeContext, target: Plan, facts: Pick<PeriodFacts, "promotion">): string | null {
  const current = ctx.current.plan;
  if (target.currency !== current.currency) return `This plan is billed in ${target.currency}; your subscription is in ${current.currency}.`;
  if (target.interval.unit !== current.interval.unit || target.interval.count !== current.interval.count) {
    return "This plan has a different billing interval; contact us to switch.";
  }
  if (facts.promotion) {
    const ok = checkPromotionForPlan({ promotion: facts.promotion.promotion, plan: target });
    if (!ok.ok) return `Your promotion ${facts.promotion.promotion.code} does not apply to this plan.`;
  }
  return null;
}

export async function listPlanOptions(db: DbOrTx, tenantId: string): Promise<{ ctx: PlanChangeContext; options: PlanOption[]; currentTotal: string } | null> {
  const ctx = await loadPlanChangeContext(db, tenantId);
  if (!ctx) return null;
  const facts = await loadOpenPeriodFacts(db, { subscription: ctx.subscription, period: ctx.period, catalog: ctx.catalog });
  const currency = ctx.current.plan.currency;
  const currentTotal = priceOpenPeriod(ctx.catalog, ctx.current.plan, facts).total;
  const options = ctx.candidates.map((c): PlanOption => {
    const direction = classifyPlanChange({
      current: ctx.current.plan,
      target: c.plan,
      currentPosition: ctx.current.position,
      targetPosition: c.position,
    });
    const blockedReason = direction === "same" ? null : blockedReasonFor(ctx, c.plan, facts);
    let periodTotal = currentTotal;
    let difference = "0";
    if (direction === "upgrade" && !blockedReason) {
      periodTotal = priceOpenPeriod(ctx.catalog, c.plan, facts).total;
      difference = formatAmount(toDecimal(periodTotal).minus(toDecimal(currentTotal)), currency);
    } else if (direction === "downgrade") {
      difference = formatAmount(toDecimal(baseFeeOf(c.plan)).minus(toDecimal(baseFeeOf(ctx.current.plan))), currency);
    }
    return {
      planCode: c.plan.code,
      planVersionId: c.planVersionId,
      displayName: c.plan.display_name,
      description: c.plan.description,
      currency: c.plan.currency,
      baseFee: baseFeeOf(c.plan),
      features: c.plan.features,
      direction,
      effective: direction === "upgrade" ? "now" : direction === "downgrade" ? "period_end" : null,
      effectiveAt: direction === "downgrade" ? ctx.period.endsAt : direction === "upgrade" ? ctx.period.startsAt : null,
      periodTotal,
      difference,
      blockedReason,
      isCurrent: direction === "same",
      isPending: ctx.pending?.planCode === c.plan.code,
    };
  });
  return { ctx, options, currentTotal };
}

/** The current version of a plan code in the catalog (for the change itself, read inside the transaction). */
export async function currentVersionOf(db: DbOrTx, catalogCode: string, planCode: string) {
  const [row] = await db
    .select({ planId: plans.id, planVersionId: planVersions.id, definition: planVersions.definition })
    .from(plans)
    .innerJoin(planVersions, and(eq(planVersions.planId, plans.id), eq(planVersions.version, plans.currentVersion)))
    .where(and(eq(plans.catalogCode, catalogCode), eq(plans.code, planCode), eq(plans.active, true)));
  return row ? { planId: row.planId, planVersionId: row.planVersionId, plan: row.definition as Plan } : null;
}
