/** compute-licences (SPEC §4): USD, 30-day periods, everything counted (latest snapshot of the period). */
import type { CatalogInput } from "../lib/domain/catalog";

export const computeLicences: CatalogInput = {
  code: "compute-licences",
  name: "Compute & Licences",
  description: "Licences by tier, clusters by size and type, users and storage.",
  currency: "USD",
  default_plan: "platform",
  interval: { unit: "day", count: 30 },
  alert_thresholds: [80, 100],
  metrics: [
    {
      code: "licences",
      name: "Licences",
      unit: "licence",
      kind: "snapshot",
      aggregation: "latest",
      dimensions: [{ key: "tier", name: "Tier", values: ["basic", "professional", "enterprise"] }],
    },
    {
      code: "clusters",
      name: "Clusters",
      unit: "cluster",
      kind: "snapshot",
      aggregation: "latest",
      dimensions: [
        { key: "size", name: "Size", values: ["small", "medium", "large"] },
        { key: "type", name: "Type", values: ["development", "production", "analytics"] },
      ],
    },
    { code: "users", name: "Users", unit: "user", kind: "snapshot", aggregation: "latest" },
    { code: "storage_gb", name: "Storage", unit: "GB", kind: "snapshot", aggregation: "latest" },
  ],
  plans: [
    {
      code: "platform",
      name: "Platform",
      display_name: "Platform",
      description: "Pay for what is deployed, every 30 days.",
      features: [
        "Licences from 5 per unit",
        "Clusters priced by size and type",
        "5 users included",
        "50 GB storage included",
      ],
      components: [
        { kind: "base_fee", name: "Platform fee", amount: 10 },
        {
          kind: "dimensional",
          metric: "licences",
          prices: { basic: 5, professional: 15, enterprise: 25 },
        },
        {
          kind: "dimensional",
          metric: "clusters",
          prices: {
            "small:development": 20,
            "small:production": 40,
            "small:analytics": 30,
            "medium:development": 40,
            "medium:production": 80,
            "medium:analytics": 60,
            "large:development": 80,
            "large:production": 160,
            "large:analytics": 120,
          },
        },
        { kind: "counted", metric: "users", included: 5, unit_price: 3 },
        { kind: "counted", metric: "storage_gb", included: 50, unit_price: "0.10" },
      ],
    },
  ],
  tax_rates: [{ code: "US_TX", name: "Sales tax", percent: "6.25", jurisdiction: "Texas (state rate)" }],
};
