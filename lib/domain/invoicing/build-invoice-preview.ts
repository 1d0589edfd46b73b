/**
 * The invoice engine: rated lines → previously billed (threshold invoices) netted out → extra lines
 * → promotion → tax. Every line is rounded once; subtotal, discount, tax and total are sums of
 * rounded lines, so total = Σ line amounts exactly. The period-end invoice, the upcoming-invoice
 * preview, interim threshold invoices and the quote CLI all come from here.
 */
import type { Catalog, Plan, Promotion, TaxRate } from "../catalog/types";
import { formatAmount, sumDecimals, toDecimal } from "../money";
import type { InvoiceLine } from "../rating/line";
import { rateUsage, type RatingScope } from "../rating/rate-usage";
import type { UsageTotals } from "../rating/usage-totals";
import { acceptExtraLine, type ExtraLine } from "./extra-lines";
import { checkPromotionForPlan, promotionApplies } from "./promotion-applies";
import { promotionLine } from "./promotion-line";
import { taxLine } from "./tax-line";

export type InvoicePreview = {
  currency: string;
  period_index: number;
  lines: InvoiceLine[];
  /** Σ of every line except promotion and tax lines. */
  subtotal: string;
  /** Σ of promotion discounts, as a positive amount. */
  discount: string;
  tax: string;
  /** subtotal − discount + tax = Σ of all line amounts. */
  total: string;
};

export function buildInvoicePreview(params: {
  catalog: Catalog;
  plan: Plan;
  /** 0-based index of the period in the subscription (drives promotions). */
  periodIndex: number;
  usage: UsageTotals;
  promotion?: Promotion | null;
  /** Period index at which the promotion was redeemed (default 0). */
  promotionStartPeriodIndex?: number;
  taxRate?: TaxRate | null;
  /** Amount per line code already billed on interim invoices of this period. */
  previouslyBilled?: Record<string, string>;
  extraLines?: ExtraLine[];
  /** "usage_only" for interim threshold invoices (no base fee). */
  scope?: RatingScope;
}): InvoicePreview {
  const { catalog, plan, periodIndex, usage } = params;
  const currency = plan.currency;
  const lines: InvoiceLine[] = rateUsage({ catalog, plan, usage, scope: params.scope });

  const previously = params.previouslyBilled ?? {};
  for (const [code, billed] of Object.entries(previously)) {
    const prior = toDecimal(billed);
    if (prior.isZero()) continue;
    const line = lines.find((l) => l.code === code);
    if (line) {
      line.amount = formatAmount(toDecimal(line.amount).minus(prior), currency);
      line.previously_billed = formatAmount(prior, currency);
      line.description += `; less ${formatAmount(prior, currency)} billed on interim invoices`;
    } else {
      // Usage billed on an interim invoice no longer exists (corrected away): credit it back.
      lines.push(
        acceptExtraLine(
          {
            kind: "adjustment",
            code,
            description: `Reversal of ${code} billed on interim invoices`,
            amount: formatAmount(prior.negated(), currency),
          },
          currency,
        ),
      );
    }
  }

  for (const extra of params.extraLines ?? []) lines.push(acceptExtraLine(extra, currency));

  const promotion = params.promotion ?? null;
  if (promotion && promotionApplies({ promotion, periodIndex, startPeriodIndex: params.promotionStartPeriodIndex })) {
    const eligible = checkPromotionForPlan({ promotion, plan });
    if (!eligible.ok) throw eligible.error;
    const line = promotionLine({ promotion, lines, currency });
    if (line) lines.push(line);
  }

  const subtotal = sumDecimals(lines.filter((l) => l.kind !== "promotion" && l.kind !== "tax").map((l) => l.amount));
  const discount = sumDecimals(lines.filter((l) => l.kind === "promotion").map((l) => l.amount)).negated();
  if (params.taxRate) lines.push(taxLine({ taxRate: params.taxRate, taxable: subtotal.minus(discount), currency }));
  const tax = sumDecimals(lines.filter((l) => l.kind === "tax").map((l) => l.amount));

  return {
    currency,
    period_index: periodIndex,
    lines,
    subtotal: formatAmount(subtotal, currency),
    discount: formatAmount(discount, currency),
    tax: formatAmount(tax, currency),
    total: formatAmount(subtotal.minus(discount).plus(tax), currency),
  };
}
