/**
 * anomaly-detection (SPEC §4): USD, monthly — pay only for detected anomalies. Metric `anomalies`
 * is fed by `detection` events and only those with `anomaly: true` are billable.
 */
import type { CatalogInput } from "../lib/domain/catalog";

const softLimit = { anomalies: { kind: "soft_limit" as const, percent: 120 } };

export const anomalyDetection: CatalogInput = {
  code: "anomaly-detection",
  name: "Anomaly Detection",
  description: "Stream your data, pay only for the anomalies we find.",
  currency: "USD",
  default_plan: "standard",
  interval: { unit: "month", count: 1 },
  alert_thresholds: [70, 90, 100],
  dunning: { grace_days: 7, retry_days: [1, 3, 7], suspend_after_days: 14 },
  metrics: [
    {
      code: "anomalies",
      name: "Detected anomalies",
      unit: "anomaly",
      kind: "sum",
      event_types: ["detection"],
      filter: { anomaly: true },
      description: "detection events whose anomaly property is true; other detections are free.",
    },
  ],
  plans: [
    {
      code: "developer",
      name: "Developer",
      display_name: "Developer",
      description: "Free for building and testing.",
      features: ["10,000 anomalies included", "Hard limit, never billed", "Community support"],
      components: [
        { kind: "base_fee", name: "Subscription", amount: 0 },
        { kind: "metered", metric: "anomalies", included: 10000, unit_price: "0" },
      ],
      limits: { anomalies: { kind: "hard" } },
    },
    {
      code: "standard",
      name: "Standard",
      display_name: "Standard",
      features: ["250,000 anomalies included", "0.0035 per anomaly beyond", "Alerts at 70/90/100 %"],
      components: [
        { kind: "base_fee", name: "Subscription", amount: 49 },
        { kind: "metered", metric: "anomalies", included: 250000, unit_price: "0.0035" },
      ],
      limits: softLimit,
      threshold_invoicing: { amount: 500 },
    },
    {
      code: "growth",
      name: "Growth",
      display_name: "Growth",
      features: ["2,000,000 anomalies included", "0.0018 per anomaly beyond", "Progressive invoicing at 500"],
      components: [
        { kind: "base_fee", name: "Subscription", amount: 249 },
        { kind: "metered", metric: "anomalies", included: 2000000, unit_price: "0.0018" },
      ],
      limits: softLimit,
      threshold_invoicing: { amount: 500 },
    },
  ],
  promotions: [
    {
      code: "LAUNCH50",
      name: "Launch offer",
      description: "50 % off the base fee for the first three periods.",
      percent_off: 50,
      applies_to: "base_fee",
      duration: { kind: "repeating", periods: 3 },
    },
  ],
  tax_rates: [
    { code: "US_CA", name: "Sales tax", percent: "7.25", jurisdiction: "California (state rate)" },
    { code: "US_TX", name: "Sales tax", percent: "6.25", jurisdiction: "Texas (state rate)" },
  ],
};
