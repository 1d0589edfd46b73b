/**
 * The resolved (parsed, validated, defaults filled) catalog. Plain JSON-serializable data:
 * every decimal is a string, so a catalog can be stored in Postgres as-is and re-parsed.
 */
import type { BillingInterval } from "../period";

/** A decimal as a string, e.g. "0.0020". */
export type DecimalString = string;

export type MetricKind = "sum" | "count" | "snapshot";
export type SnapshotAggregation = "latest" | "max";
export type FilterValue = string | number | boolean;

export type MetricDimension = { key: string; name: string; values: string[] };
export type MetricBreakdown = { property: string; name: string; values: string[] | null };

export type Metric = {
  code: string;
  name: string;
  /** Display unit, singular ("token", "asset", "GB"). */
  unit: string;
  description: string | null;
  kind: MetricKind;
  /** For snapshots: which snapshot of the period counts. null for sum/count. */
  aggregation: SnapshotAggregation | null;
  /** Event types feeding this metric (the metric code itself is always accepted too). */
  event_types: string[];
  /** Only events whose properties equal all of these are billable. */
  filter: Record<string, FilterValue> | null;
  /** For dimensional prices: dimension keys (event/snapshot property names) in order. */
  dimensions: MetricDimension[];
  /** Properties the usage pages can break usage down by (site, vertical…). */
  breakdowns: MetricBreakdown[];
  /** Whether negative (correcting) quantities are accepted. */
  corrections: boolean;
};

/** An included quantity; "unlimited" means no overage and no limit. */
export type Included = DecimalString | "unlimited";
export type PackageRounding = "exact" | "up";

export type BaseFeeComponent = { kind: "base_fee"; code: string; name: string; amount: DecimalString };

export type MeteredComponent = {
  kind: "metered";
  code: string;
  name: string;
  metric: string;
  included: Included;
  unit_price: DecimalString;
  /** unit_price is per this many units (e.g. "1000" for 0.01 per 1,000 tokens). */
  per: DecimalString;
  rounding: PackageRounding;
};

export type CreditRule = {
  event_type: string;
  name: string;
  credits_per_unit: DecimalString;
  /** What one unit of the event is, e.g. "1,000 tokens". */
  unit_label: string;
};

export type CreditPoolComponent = {
  kind: "credit_pool";
  code: string;
  name: string;
  included: DecimalString;
  price_per_credit: DecimalString;
  credit_rules: CreditRule[];
};

export type CountedComponent = {
  kind: "counted";
  code: string;
  name: string;
  metric: string;
  included: Included;
  unit_price: DecimalString;
  per: DecimalString;
  rounding: PackageRounding;
};

export type DimensionalComponent = {
  kind: "dimensional";
  code: string;
  name: string;
  metric: string;
  /** Unit price keyed by dimension values joined with ':' in the metric's dimension order. */
  prices: Record<string, DecimalString>;
};

export type PriceComponent =
  | BaseFeeComponent
  | MeteredComponent
  | CreditPoolComponent
  | CountedComponent
  | DimensionalComponent;
export type ComponentKind = PriceComponent["kind"];

export type Limit =
  | { kind: "none" }
  | { kind: "soft" }
  | { kind: "soft_limit"; percent: number }
  | { kind: "hard"; quantity: DecimalString | null };
export type LimitKind = Limit["kind"];

export type AlertThreshold = {
  /** Percentage of the included quantity, e.g. 80. */
  percent: number;
  /** Stable alert code, e.g. "LOW_CREDITS" (defaults to "USAGE_80"). */
  code: string;
  /** Metric / credit-pool codes it applies to; null = every component with an included quantity. */
  metrics: string[] | null;
};

export type GainShareRange = { min_percent: number; max_percent: number; default_percent: number };
export type ThresholdInvoicing = { amount: DecimalString };
export type DunningPolicy = { grace_days: number; retry_days: number[]; suspend_after_days: number };

export type Plan = {
  code: string;
  name: string;
  display_name: string;
  description: string | null;
  version: number;
  currency: string;
  interval: BillingInterval;
  features: string[];
  components: PriceComponent[];
  /** Limit per metric or credit-pool code; codes absent here have { kind: "none" }. */
  limits: Record<string, Limit>;
  /** Hard bounds on counts such as { sites: 3 }. */
  count_limits: Record<string, number>;
  alert_thresholds: AlertThreshold[];
  gain_share: GainShareRange | null;
  threshold_invoicing: ThresholdInvoicing | null;
  dunning: DunningPolicy;
};

export type PromotionDuration =
  | { kind: "once" }
  | { kind: "repeating"; periods: number }
  | { kind: "forever" };

export type Promotion = {
  code: string;
  name: string;
  description: string | null;
  percent_off: DecimalString | null;
  amount_off: DecimalString | null;
  /** Currency of amount_off (null = the plan's currency). */
  currency: string | null;
  applies_to: "base_fee" | "invoice";
  duration: PromotionDuration;
  /** Plan codes it may be redeemed on; null = every plan. */
  plans: string[] | null;
  max_redemptions: number | null;
  /** ISO 8601 instant after which it can no longer be redeemed. */
  expires_at: string | null;
};

export type TaxRate = { code: string; name: string; percent: DecimalString; jurisdiction: string };

export type KpiDirection = "higher" | "lower";
export type Kpi = { code: string; name: string; unit: string; direction: KpiDirection; description: string | null };

export type Catalog = {
  code: string;
  name: string;
  description: string | null;
  currency: string;
  default_plan: string;
  metrics: Metric[];
  plans: Plan[];
  promotions: Promotion[];
  tax_rates: TaxRate[];
  kpis: Kpi[];
};
