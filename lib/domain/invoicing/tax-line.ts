/** Tax as its own line: rate × taxable subtotal (after discounts), rounded once. */
import type { TaxRate } from "../catalog/types";
import { formatAmount, toDecimal, type DecimalInput } from "../money";
import { groupDigits, type InvoiceLine } from "../rating/line";

export function taxLine(params: { taxRate: TaxRate; taxable: DecimalInput; currency: string }): InvoiceLine {
  const { taxRate, currency } = params;
  const taxable = toDecimal(params.taxable);
  const rate = toDecimal(taxRate.percent).dividedBy(100);
  return {
    kind: "tax",
    code: taxRate.code,
    description: `${taxRate.name} (${taxRate.jurisdiction}) ${toDecimal(taxRate.percent).toFixed()}% on ${groupDigits(formatAmount(taxable, currency))}`,
    quantity: formatAmount(taxable, currency),
    unit_amount: rate.toFixed(),
    amount: formatAmount(taxable.times(rate), currency),
  };
}
