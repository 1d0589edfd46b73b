/**
 * A small catalog exercising every component kind, for unit tests (not shipped). USD plan "all"
 * plus a JPY plan for zero-decimal rounding and a plan with thirds.
 */
import { parseCatalog, type Catalog, type CatalogInput } from "./catalog";

export const testCatalogInput: CatalogInput = {
  code: "test-all",
  name: "Test catalog",
  currency: "USD",
  alert_thresholds: [80, 100, 120],
  metrics: [
    { code: "tokens", name: "Tokens", unit: "token", kind: "sum", event_types: ["llm_call"] },
    { code: "calls", name: "Calls", unit: "call", kind: "count" },
    { code: "flags", name: "Flags", unit: "flag", kind: "sum", event_types: ["scan"], filter: { flagged: true } },
    { code: "seats", name: "Seats", unit: "seat", kind: "snapshot", aggregation: "max" },
    {
      code: "vms",
      name: "VMs",
      unit: "vm",
      kind: "snapshot",
      aggregation: "latest",
      dimensions: [
        { key: "size", values: ["s", "l"] },
        { key: "zone", values: ["eu", "us"] },
      ],
    },
  ],
  plans: [
    {
      code: "all",
      name: "All kinds",
      components: [
        { kind: "base_fee", amount: 100 },
        // 0.01 per 1,000 tokens beyond 1,000,000, exact
        { kind: "metered", metric: "tokens", included: 1000000, unit_price: "0.01", per: 1000 },
        // 0.50 per 100 calls beyond 1,000, whole packages
        { kind: "metered", metric: "calls", included: 1000, unit_price: "0.50", per: 100, rounding: "up" },
        { kind: "metered", metric: "flags", included: 0, unit_price: "0.0015" },
        {
          kind: "credit_pool",
          code: "credits",
          included: 1000,
          price_per_credit: "0.02",
          credit_rules: [
            { event_type: "image", credits_per_unit: 5, unit_label: "image" },
            { event_type: "video_minute", credits_per_unit: "2.5", unit_label: "minute" },
          ],
        },
        { kind: "counted", metric: "seats", included: 10, unit_price: "7.00" },
        { kind: "dimensional", metric: "vms", prices: { "s:eu": 10, "s:us": 11, "l:eu": "20.50", "l:us": "21.25" } },
      ],
      limits: {
        tokens: { kind: "soft" },
        calls: { kind: "soft_limit", percent: 120 },
        seats: { kind: "hard" },
        credits: { kind: "hard", quantity: 5000 },
      },
      count_limits: { sites: 2 },
      gain_share: { min_percent: 10, max_percent: 20 },
      threshold_invoicing: { amount: 50 },
    },
    {
      code: "yen",
      name: "Zero-decimal",
      currency: "JPY",
      components: [
        { kind: "base_fee", amount: 1200 },
        { kind: "metered", metric: "tokens", included: 0, unit_price: "0.5" },
      ],
    },
    {
      code: "thirds",
      name: "Thirds",
      components: [{ kind: "metered", metric: "tokens", included: 0, unit_price: 1, per: 3 }],
    },
  ],
  promotions: [
    { code: "HALF3", name: "Half off", percent_off: 50, applies_to: "base_fee", duration: { kind: "repeating", periods: 3 } },
    { code: "TENOFF", name: "Ten off", amount_off: "10.00", applies_to: "invoice", duration: { kind: "once" } },
    { code: "THIRD", name: "A third off", percent_off: "33.3333", applies_to: "invoice", duration: { kind: "forever" } },
    { code: "ALLONLY", name: "Plan-bound", percent_off: 10, applies_to: "invoice", duration: { kind: "forever" }, plans: ["all"] },
  ],
  tax_rates: [
    { code: "T13", name: "HST", percent: 13, jurisdiction: "Ontario" },
    { code: "T7", name: "Sales tax", percent: "7.25", jurisdiction: "California" },
  ],
};

export function testCatalog(): Catalog {
  return parseCatalog(testCatalogInput);
}

/** A deep copy of the test input, for mutation in negative tests. */
export function testInput(): Record<string, any> {
  return structuredClone(testCatalogInput) as Record<string, any>;
}
