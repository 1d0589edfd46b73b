/** A plan's limit and included quantity for a metric or credit-pool code. */
import { componentFor } from "../catalog/lookup";
import type { Included, Limit, Plan } from "../catalog/types";

export function limitFor(params: { plan: Plan; code: string }): Limit {
  return params.plan.limits[params.code] ?? { kind: "none" };
}

/** Included quantity of the component pricing this code; null if the plan does not price it or it is dimensional. */
export function includedFor(params: { plan: Plan; code: string }): Included | null {
  const c = componentFor(params.plan, params.code);
  if (!c || c.kind === "dimensional") return null;
  return c.included;
}
