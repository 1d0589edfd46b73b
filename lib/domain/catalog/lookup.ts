/** Look-ups by code that fail with a typed error naming what was asked for and what exists. */
import { UnknownCodeError } from "../errors";
import type { Catalog, CreditPoolComponent, Metric, Plan, PriceComponent, Promotion, TaxRate } from "./types";

export function findPlan(catalog: Catalog, code: string): Plan {
  const plan = catalog.plans.find((p) => p.code === code);
  if (!plan) throw new UnknownCodeError("plan", code, catalog.plans.map((p) => p.code), `catalog ${catalog.code}`);
  return plan;
}

export function findMetric(catalog: Catalog, code: string): Metric {
  const metric = catalog.metrics.find((m) => m.code === code);
  if (!metric) throw new UnknownCodeError("metric", code, catalog.metrics.map((m) => m.code), `catalog ${catalog.code}`);
  return metric;
}

export function findPromotion(catalog: Catalog, code: string): Promotion {
  const promotion = catalog.promotions.find((p) => p.code === code);
  if (!promotion) {
    throw new UnknownCodeError("promotion", code, catalog.promotions.map((p) => p.code), `catalog ${catalog.code}`);
  }
  return promotion;
}

export function findTaxRate(catalog: Catalog, code: string): TaxRate {
  const rate = catalog.tax_rates.find((t) => t.code === code);
  if (!rate) throw new UnknownCodeError("tax rate", code, catalog.tax_rates.map((t) => t.code), `catalog ${catalog.code}`);
  return rate;
}

/** The component pricing a metric (by metric code) or a credit pool (by pool code), if any. */
export function componentFor(plan: Plan, code: string): Exclude<PriceComponent, { kind: "base_fee" }> | undefined {
  for (const c of plan.components) {
    if (c.kind === "base_fee") continue;
    if (c.kind === "credit_pool" ? c.code === code : c.metric === code) return c;
  }
  return undefined;
}

export function creditPools(plan: Plan): CreditPoolComponent[] {
  return plan.components.filter((c): c is CreditPoolComponent => c.kind === "credit_pool");
}

/** Metric and credit-pool codes this plan prices (what usage, limits and alerts are keyed by). */
export function pricedCodes(plan: Plan): string[] {
  return plan.components.flatMap((c) =>
    c.kind === "base_fee" ? [] : c.kind === "credit_pool" ? [c.code] : [c.metric],
  );
}

/** The base fee of the plan ("0" when it has none). */
export function baseFeeOf(plan: Plan): string {
  const base = plan.components.find((c) => c.kind === "base_fee");
  return base && base.kind === "base_fee" ? base.amount : "0";
}
