/** business-os (SPEC §4): USD, monthly; API calls, data exports and AI requests, by industry vertical. */
import type { CatalogInput } from "../lib/domain/catalog";

const verticals = { property: "vertical", name: "Vertical", values: ["hs", "rest", "auto", "ret", "edu", "payroll"] };

function plan(code: string, name: string, base: number, includedCalls: number, features: string[]) {
  return {
    code,
    name,
    display_name: name,
    features,
    components: [
      { kind: "base_fee" as const, name: "Subscription", amount: base },
      { kind: "metered" as const, metric: "api_calls", included: includedCalls, unit_price: "0.01" },
      { kind: "metered" as const, metric: "data_exports", included: 0, unit_price: "0.10" },
      { kind: "metered" as const, metric: "ai_requests", included: 0, unit_price: "0.05" },
    ],
    limits: { api_calls: { kind: "soft" as const } },
  };
}

export const businessOs: CatalogInput = {
  code: "business-os",
  name: "Business OS",
  description: "Vertical business software: API calls, data exports and AI requests.",
  currency: "USD",
  default_plan: "professional",
  interval: { unit: "month", count: 1 },
  alert_thresholds: [80, 100],
  metrics: [
    { code: "api_calls", name: "API calls", unit: "call", kind: "sum", breakdowns: [verticals] },
    { code: "data_exports", name: "Data exports", unit: "export", kind: "sum", breakdowns: [verticals] },
    { code: "ai_requests", name: "AI requests", unit: "request", kind: "sum", breakdowns: [verticals] },
  ],
  plans: [
    plan("basic", "Basic", 50, 1000, ["1,000 API calls", "Data exports at 0.10", "AI requests at 0.05"]),
    plan("professional", "Professional", 150, 5000, ["5,000 API calls", "Data exports at 0.10", "AI requests at 0.05"]),
    plan("enterprise", "Enterprise", 500, 20000, ["20,000 API calls", "Data exports at 0.10", "AI requests at 0.05"]),
  ],
  tax_rates: [
    { code: "US_CA", name: "Sales tax", percent: "7.25", jurisdiction: "California (state rate)" },
    { code: "US_TX", name: "Sales tax", percent: "6.25", jurisdiction: "Texas (state rate)" },
  ],
};
