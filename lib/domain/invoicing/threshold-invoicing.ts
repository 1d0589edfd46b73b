/**
 * Threshold (progressive) invoicing: when the usage charges accrued in an open period, minus what
 * interim invoices already billed, reach the plan's threshold, an interim invoice bills them; the
 * period-end invoice then bills only the rest (buildInvoicePreview with previouslyBilled).
 */
import type { Catalog, Plan } from "../catalog/types";
import { formatAmount, sumDecimals, toDecimal, type DecimalInput } from "../money";
import { USAGE_LINE_KINDS, type InvoiceLine } from "../rating/line";
import { rateUsage } from "../rating/rate-usage";
import type { UsageTotals } from "../rating/usage-totals";

/** Σ of the period's rounded usage lines (everything but the base fee), as a money string. */
export function accruedUsageCharges(params: { catalog: Catalog; plan: Plan; usage: UsageTotals }): string {
  const lines = rateUsage({ ...params, scope: "usage_only" });
  return formatAmount(sumDecimals(lines.map((l) => l.amount)), params.plan.currency);
}

/** True when the un-invoiced accrued usage charges reach the plan's threshold amount. */
export function thresholdReached(params: { plan: Plan; accrued: DecimalInput; alreadyInvoiced?: DecimalInput }): boolean {
  const threshold = params.plan.threshold_invoicing;
  if (!threshold) return false;
  const pending = toDecimal(params.accrued).minus(toDecimal(params.alreadyInvoiced ?? "0"));
  return pending.greaterThanOrEqualTo(toDecimal(threshold.amount));
}

/** Sums the usage-line amounts of earlier interim invoices per line code (the previouslyBilled map). */
export function previouslyBilledFrom(invoices: { lines: InvoiceLine[] }[], currency: string): Record<string, string> {
  const totals: Record<string, string> = {};
  for (const invoice of invoices) {
    for (const line of invoice.lines) {
      if (!USAGE_LINE_KINDS.includes(line.kind)) continue;
      totals[line.code] = formatAmount(toDecimal(totals[line.code] ?? "0").plus(toDecimal(line.amount)), currency);
    }
  }
  return totals;
}
