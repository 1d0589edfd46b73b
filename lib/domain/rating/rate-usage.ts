/** Rates a plan's components against a period's usage totals: one line per component (per cell). */
import type { Catalog, Plan } from "../catalog/types";
import type { InvoiceLine } from "./line";
import { rateComponent } from "./rate-component";
import type { UsageTotals } from "./usage-totals";
import { validateUsageTotals } from "./validate-usage";

export type RatingScope = "full" | "usage_only";

/**
 * Lines for the base fee (always, unless scope is "usage_only") and every usage component
 * (zero-usage lines included, except dimensional cells without quantity). Throws UsageError on
 * usage the plan does not price.
 */
export function rateUsage(params: {
  catalog: Catalog;
  plan: Plan;
  usage: UsageTotals;
  scope?: RatingScope;
}): InvoiceLine[] {
  const { catalog, plan, usage } = params;
  validateUsageTotals({ catalog, plan, usage });
  const planLabel = `${plan.display_name} (${plan.code})`;
  return plan.components
    .filter((c) => params.scope !== "usage_only" || c.kind !== "base_fee")
    .flatMap((component) =>
      rateComponent({ catalog, component, usage, currency: plan.currency, planLabel, interval: plan.interval }),
    );
}
