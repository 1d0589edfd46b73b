/**
 * The one pricing path for a subscription period: the upcoming-invoice preview, the period-end invoice
 * and interim threshold invoices all come through here, into the engine's buildInvoicePreview.
 */
import type { Catalog, Plan, Promotion, TaxRate } from "../catalog/types";
import { buildInvoicePreview, type InvoicePreview } from "../invoicing/build-invoice-preview";
import type { ExtraLine } from "../invoicing/extra-lines";
import { previouslyBilledFrom } from "../invoicing/threshold-invoicing";
import { formatAmount, roundMoney, toDecimal } from "../money";
import type { InvoiceLine } from "../rating/line";
import { periodUsageTotals, type CounterRecord, type SnapshotRecord } from "./period-usage";

export type PendingAdjustment = { id: string; description: string; amount: string; currency: string };
export type ApprovedGainShareRun = {
  id: string;
  periodStart: string;
  periodEnd: string;
  sharePercent: string;
  totalSavings: string;
  fee: string;
  currency: string;
};

export interface PeriodBillingInputs {
  catalog: Catalog;
  plan: Plan;
  periodIndex: number;
  period: { start: Date; end: Date };
  counters: CounterRecord[];
  snapshots: SnapshotRecord[];
  promotion: { promotion: Promotion; startIndex: number } | null;
  taxRate: TaxRate | null;
  adjustments: PendingAdjustment[];
  gainShareRuns: ApprovedGainShareRun[];
  /** Lines of the period's interim (threshold) invoices that were not voided. */
  interimInvoices: { lines: InvoiceLine[] }[];
}

/** Adjustments and gain-share fees in the plan's currency, each rounded once to the minor unit. */
export function extraLinesFor(inputs: Pick<PeriodBillingInputs, "plan" | "adjustments" | "gainShareRuns">): ExtraLine[] {
  const currency = inputs.plan.currency;
  const lines: ExtraLine[] = [];
  for (const a of inputs.adjustments) {
    if (a.currency !== currency) continue;
    lines.push({ kind: "adjustment", code: `adjustment:${a.id}`, description: a.description, amount: formatAmount(roundMoney(a.amount, currency), currency) });
  }
  for (const g of inputs.gainShareRuns) {
    if (g.currency !== currency) continue;
    lines.push({
      kind: "gain_share",
      code: `gain_share:${g.id}`,
      description: `Gain-share fee ${g.periodStart} to ${g.periodEnd}: ${toDecimal(g.sharePercent).toFixed()}% of ${formatAmount(g.totalSavings, currency)} savings`,
      amount: formatAmount(roundMoney(g.fee, currency), currency),
    });
  }
  return lines;
}

/** The period-end invoice (or its preview): full scope, less what interim invoices already billed. */
export function pricePeriodInvoice(inputs: PeriodBillingInputs): InvoicePreview {
  const { catalog, plan } = inputs;
  const usage = periodUsageTotals({ catalog, plan, counters: inputs.counters, snapshots: inputs.snapshots, period: inputs.period });
  return buildInvoicePreview({
    catalog,
    plan,
    periodIndex: inputs.periodIndex,
    usage,
    promotion: inputs.promotion?.promotion ?? null,
    promotionStartPeriodIndex: inputs.promotion?.startIndex ?? 0,
    taxRate: inputs.taxRate,
    previouslyBilled: previouslyBilledFrom(inputs.interimInvoices, plan.currency),
    extraLines: extraLinesFor(inputs),
  });
}

/**
 * An interim (threshold) invoice: usage lines only, less what earlier interim invoices billed. Percent
 * promotions apply as on the period-end invoice; a fixed amount off is left for the period-end invoice so it
 * is never given twice. No adjustments or gain-share: those wait for the period-end invoice.
 */
export function priceInterimInvoice(inputs: PeriodBillingInputs): InvoicePreview {
  const { catalog, plan } = inputs;
  const usage = periodUsageTotals({ catalog, plan, counters: inputs.counters, snapshots: inputs.snapshots, period: inputs.period });
  const promo = inputs.promotion && inputs.promotion.promotion.percent_off !== null ? inputs.promotion : null;
  return buildInvoicePreview({
    catalog,
    plan,
    periodIndex: inputs.periodIndex,
    usage,
    promotion: promo?.promotion ?? null,
    promotionStartPeriodIndex: promo?.startIndex ?? 0,
    taxRate: inputs.taxRate,
    previouslyBilled: previouslyBilledFrom(inputs.interimInvoices, plan.currency),
    scope: "usage_only",
  });
}
