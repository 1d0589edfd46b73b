/**
 * Gain-share fee (SPEC §7). Per KPI: improvement = actual − baseline when higher is better,
 * baseline − actual when lower is better; savings = improvement × value per unit. Total savings is
 * the sum (a KPI may be negative); fee = max(0, total) × share % / 100, rounded once to the currency.
 */
import type { GainShareRange, KpiDirection } from "../catalog/types";
import { DomainError } from "../errors";
import { Decimal, formatAmount, sumDecimals, toDecimal, type DecimalInput } from "../money";

export type GainShareKpiInput = {
  kpi: string;
  direction: KpiDirection;
  baseline: DecimalInput;
  actual: DecimalInput;
  /** Currency value of one unit of improvement. */
  value_per_unit: DecimalInput;
};

export type GainShareKpiResult = {
  kpi: string;
  direction: KpiDirection;
  baseline: string;
  actual: string;
  value_per_unit: string;
  improvement: string;
  /** Exact (unrounded) savings of this KPI; may be negative. */
  savings: string;
};

export type GainShareResult = {
  currency: string;
  share_percent: string;
  kpis: GainShareKpiResult[];
  /** Exact sum of KPI savings. */
  total_savings: string;
  /** The fee, rounded to the currency's minor unit. */
  fee: string;
};

export class GainShareError extends DomainError {
  constructor(code: "gain_share_not_allowed" | "share_out_of_range" | "duplicate_kpi", message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
}

export function computeGainShare(params: {
  kpis: GainShareKpiInput[];
  sharePercent: DecimalInput;
  /** The plan's allowed range; null when the plan has no gain-share. */
  range: Pick<GainShareRange, "min_percent" | "max_percent"> | null;
  currency: string;
}): GainShareResult {
  const { range, currency } = params;
  const share = toDecimal(params.sharePercent);
  if (range === null) throw new GainShareError("gain_share_not_allowed", "this plan has no gain-share");
  if (share.lessThan(range.min_percent) || share.greaterThan(range.max_percent)) {
    throw new GainShareError(
      "share_out_of_range",
      `share ${share.toFixed()}% lies outside the plan's range ${range.min_percent}–${range.max_percent}%`,
      { share_percent: share.toFixed(), ...range },
    );
  }
  const seen = new Set<string>();
  const kpis = params.kpis.map((k): GainShareKpiResult => {
    if (seen.has(k.kpi)) throw new GainShareError("duplicate_kpi", `KPI ${k.kpi} appears twice`);
    seen.add(k.kpi);
    const baseline = toDecimal(k.baseline);
    const actual = toDecimal(k.actual);
    const valuePerUnit = toDecimal(k.value_per_unit);
    const improvement = k.direction === "higher" ? actual.minus(baseline) : baseline.minus(actual);
    return {
      kpi: k.kpi,
      direction: k.direction,
      baseline: baseline.toFixed(),
      actual: actual.toFixed(),
      value_per_unit: valuePerUnit.toFixed(),
      improvement: improvement.toFixed(),
      savings: improvement.times(valuePerUnit).toFixed(),
    };
  });
  const total = sumDecimals(kpis.map((k) => k.savings));
  const fee = Decimal.max(0, total).times(share).dividedBy(100);
  return {
    currency,
    share_percent: share.toFixed(),
    kpis,
    total_savings: total.toFixed(),
    fee: formatAmount(fee, currency),
  };
}
