/** Credit burn: credits = event quantity (in the rule's units) × credits per unit. */
import { creditPools } from "../catalog/lookup";
import type { CreditPoolComponent, CreditRule, Plan } from "../catalog/types";
import { toDecimal, type DecimalInput } from "../money";

export function creditsForEvent(params: { rule: Pick<CreditRule, "credits_per_unit">; quantity: DecimalInput }): string {
  return toDecimal(params.quantity).times(toDecimal(params.rule.credits_per_unit)).toFixed();
}

/** The credit pools of the plan that this event type burns, with the rule that applies. */
export function creditRulesFor(params: { plan: Plan; eventType: string }): { pool: CreditPoolComponent; rule: CreditRule }[] {
  return creditPools(params.plan).flatMap((pool) =>
    pool.credit_rules.filter((r) => r.event_type === params.eventType).map((rule) => ({ pool, rule })),
  );
}
