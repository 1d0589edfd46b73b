/**
 * Whether a promotion discounts a given period. Period indexes are 0-based from the subscription's
 * first period; a promotion redeemed later counts its periods from `startPeriodIndex`.
 * LAUNCH50 (repeating, 3 periods, redeemed at 0) applies to periods 0, 1, 2 and not 3.
 */
import { DomainError } from "../errors";
import type { Plan, Promotion } from "../catalog/types";

export function promotionApplies(params: {
  promotion: Pick<Promotion, "duration">;
  periodIndex: number;
  startPeriodIndex?: number;
}): boolean {
  const start = params.startPeriodIndex ?? 0;
  const offset = params.periodIndex - start;
  if (!Number.isInteger(offset) || offset < 0) return false;
  switch (params.promotion.duration.kind) {
    case "once":
      return offset === 0;
    case "repeating":
      return offset < params.promotion.duration.periods;
    case "forever":
      return true;
  }
}

export class PromotionError extends DomainError {
  constructor(
    code: "promotion_expired" | "promotion_exhausted" | "promotion_not_for_plan" | "promotion_currency_mismatch",
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(code, message, details);
  }
}

/** Checks made when a code is redeemed (not per invoice): plan eligibility, expiry, redemption limit. */
export function checkPromotionRedeemable(params: {
  promotion: Promotion;
  plan: Plan;
  now: Date;
  redemptions: number;
}): { ok: true } | { ok: false; error: PromotionError } {
  const { promotion, plan, now, redemptions } = params;
  const fail = (error: PromotionError) => ({ ok: false as const, error });
  const eligibility = checkPromotionForPlan({ promotion, plan });
  if (!eligibility.ok) return eligibility;
  if (promotion.expires_at !== null && now.getTime() >= Date.parse(promotion.expires_at)) {
    return fail(new PromotionError("promotion_expired", `promotion ${promotion.code} expired at ${promotion.expires_at}`));
  }
  if (promotion.max_redemptions !== null && redemptions >= promotion.max_redemptions) {
    return fail(
      new PromotionError("promotion_exhausted", `promotion ${promotion.code} reached its ${promotion.max_redemptions} redemptions`),
    );
  }
  return { ok: true };
}

/** Plan and currency eligibility, checked again when an invoice is built. */
export function checkPromotionForPlan(params: {
  promotion: Promotion;
  plan: Plan;
}): { ok: true } | { ok: false; error: PromotionError } {
  const { promotion, plan } = params;
  if (promotion.plans !== null && !promotion.plans.includes(plan.code)) {
    return {
      ok: false,
      error: new PromotionError("promotion_not_for_plan", `promotion ${promotion.code} does not apply to plan ${plan.code}`),
    };
  }
  if (promotion.amount_off !== null && promotion.currency !== null && promotion.currency !== plan.currency) {
    return {
      ok: false,
      error: new PromotionError(
        "promotion_currency_mismatch",
        `promotion ${promotion.code} is in ${promotion.currency}, plan ${plan.code} bills in ${plan.currency}`,
      ),
    };
  }
  return { ok: true };
}
