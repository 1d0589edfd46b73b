/** Where a credit pool (or any included quantity) stands: used, remaining, overage, percent used. */
import type { Included } from "../catalog/types";
import { Decimal, toDecimal, type DecimalInput } from "../money";

export type Balance = {
  included: string;
  used: string;
  /** null when unlimited */
  remaining: string | null;
  overage: string;
  /** Percent of included used, 2 decimals, null when unlimited or nothing included. */
  percent: string | null;
};

export function creditBalance(params: { included: Included; used: DecimalInput }): Balance {
  const used = toDecimal(params.used);
  if (params.included === "unlimited") {
    return { included: "unlimited", used: used.toFixed(), remaining: null, overage: "0", percent: null };
  }
  const included = toDecimal(params.included);
  return {
    included: included.toFixed(),
    used: used.toFixed(),
    remaining: Decimal.max(0, included.minus(used)).toFixed(),
    overage: Decimal.max(0, used.minus(included)).toFixed(),
    percent: included.isZero() ? null : used.dividedBy(included).times(100).toDecimalPlaces(2).toFixed(2),
  };
}
