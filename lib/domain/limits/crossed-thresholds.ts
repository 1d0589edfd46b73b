/**
 * Alert thresholds newly crossed by a usage change: those with before < percent × included ≤ after.
 * Firing each at most once per period per metric is the caller's (database's) job; this only says
 * which thresholds this change crossed.
 */
import type { AlertThreshold, Included, Plan } from "../catalog/types";
import { toDecimal, type DecimalInput } from "../money";

export function crossedThresholds<T extends Pick<AlertThreshold, "percent">>(params: {
  thresholds: readonly T[];
  included: Included;
  before: DecimalInput;
  after: DecimalInput;
}): T[] {
  if (params.included === "unlimited") return [];
  const included = toDecimal(params.included);
  if (included.isZero()) return [];
  const before = toDecimal(params.before);
  const after = toDecimal(params.after);
  return params.thresholds
    .filter((t) => {
      const level = included.times(t.percent).dividedBy(100);
      return before.lessThan(level) && after.greaterThanOrEqualTo(level);
    })
    .sort((a, b) => a.percent - b.percent);
}

/** The plan's thresholds that apply to a metric or credit-pool code. */
export function thresholdsFor(params: { plan: Plan; code: string }): AlertThreshold[] {
  return params.plan.alert_thresholds.filter((t) => t.metrics === null || t.metrics.includes(params.code));
}
