/** Whether moving from one plan to another is an upgrade or a downgrade (pure). */
import type { Plan } from "@/lib/domain/catalog/types";
import { baseFeeOf } from "@/lib/domain/catalog/lookup";
import { toDecimal } from "@/lib/domain/money";

export type PlanChangeDirection = "upgrade" | "downgrade" | "same";

/**
 * By base fee; equal fees fall back to the plan's position in the catalog (later = higher tier).
 * The same plan code is "same" whatever its version: a subscription keeps its version until it changes plan.
 */
export function classifyPlanChange(params: {
  current: Plan;
  target: Plan;
  currentPosition: number;
  targetPosition: number;
}): PlanChangeDirection {
  if (params.current.code === params.target.code) return "same";
  const cmp = toDecimal(baseFeeOf(params.target)).comparedTo(toDecimal(baseFeeOf(params.current)));
  if (cmp > 0) return "upgrade";
  if (cmp < 0) return "downgrade";
  return params.targetPosition > params.currentPosition ? "upgrade" : "downgrade";
}
