/** The discount line of a promotion: percent or amount off the base fee or the whole invoice. */
import type { Promotion } from "../catalog/types";
import { Decimal, formatAmount, roundMoney, sumDecimals, toDecimal } from "../money";
import { formatUnitAmount, type InvoiceLine } from "../rating/line";

/**
 * Returns the negative promotion line, or null when there is nothing it could discount (a base-fee
 * promotion on an invoice without a base fee line). The discount never exceeds what it applies to.
 */
export function promotionLine(params: { promotion: Promotion; lines: InvoiceLine[]; currency: string }): InvoiceLine | null {
  const { promotion, lines, currency } = params;
  let basis: Decimal;
  let what: string;
  if (promotion.applies_to === "base_fee") {
    const base = lines.filter((l) => l.kind === "base_fee");
    if (base.length === 0) return null;
    basis = sumDecimals(base.map((l) => l.amount));
    what = "base fee";
  } else {
    basis = sumDecimals(lines.filter((l) => l.kind !== "promotion" && l.kind !== "tax").map((l) => l.amount));
    what = "invoice";
  }
  basis = Decimal.max(0, basis);
  let discount: Decimal;
  let label: string;
  if (promotion.percent_off !== null) {
    discount = roundMoney(basis.times(toDecimal(promotion.percent_off)).dividedBy(100), currency);
    label = `${toDecimal(promotion.percent_off).toFixed()}% off ${what}`;
  } else {
    discount = Decimal.min(basis, roundMoney(promotion.amount_off ?? "0", currency));
    label = `${formatAmount(promotion.amount_off ?? "0", currency)} off ${what}`;
  }
  const amount = discount.negated();
  return {
    kind: "promotion",
    code: promotion.code,
    description: `${promotion.name} (${promotion.code}): ${label}`,
    quantity: "1",
    unit_amount: formatUnitAmount(amount, currency),
    amount: formatAmount(amount, currency),
  };
}
