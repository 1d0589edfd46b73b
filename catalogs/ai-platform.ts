/** ai-platform (SPEC §4): USD, monthly, five metrics; free / standard / enterprise. */
import type { CatalogInput } from "../lib/domain/catalog";

type Metered = { included: number; price: string; per?: number };

function components(m: {
  base: number;
  llm: Metered;
  agents: Metered;
  api: Metered;
  storage: Metered;
  seats: { included: number | "unlimited"; price: string };
}) {
  return [
    { kind: "base_fee" as const, name: "Subscription", amount: m.base },
    { kind: "metered" as const, metric: "llm_tokens", included: m.llm.included, unit_price: m.llm.price, per: 1000 },
    { kind: "metered" as const, metric: "agent_executions", included: m.agents.included, unit_price: m.agents.price },
    { kind: "metered" as const, metric: "api_calls", included: m.api.included, unit_price: m.api.price },
    { kind: "counted" as const, metric: "storage_gb", included: m.storage.included, unit_price: m.storage.price },
    { kind: "counted" as const, metric: "user_seats", included: m.seats.included, unit_price: m.seats.price },
  ];
}

const soft = { kind: "soft" as const };

export const aiPlatform: CatalogInput = {
  code: "ai-platform",
  name: "AI Platform",
  description: "LLM tokens, agent executions, API calls, storage and seats.",
  currency: "USD",
  default_plan: "standard",
  interval: { unit: "month", count: 1 },
  alert_thresholds: [80, 100, 120],
  metrics: [
    { code: "llm_tokens", name: "LLM tokens", unit: "token", kind: "sum" },
    { code: "agent_executions", name: "Agent executions", unit: "execution", kind: "sum" },
    { code: "api_calls", name: "API calls", unit: "call", kind: "sum" },
    { code: "storage_gb", name: "Storage", unit: "GB", kind: "snapshot", aggregation: "max" },
    { code: "user_seats", name: "User seats", unit: "seat", kind: "snapshot", aggregation: "max" },
  ],
  plans: [
    {
      code: "free",
      name: "Free",
      display_name: "Free",
      description: "Try the platform; usage beyond the allowance is not billed.",
      features: ["10K LLM tokens", "100 agent executions", "1K API calls", "1 GB storage", "3 user seats"],
      // No overage is billed on Free: usage prices are zero, the soft limits only alert.
      components: components({
        base: 0,
        llm: { included: 10000, price: "0" },
        agents: { included: 100, price: "0" },
        api: { included: 1000, price: "0" },
        storage: { included: 1, price: "0" },
        seats: { included: 3, price: "0" },
      }),
      limits: {
        llm_tokens: soft,
        agent_executions: soft,
        api_calls: soft,
        storage_gb: { kind: "hard" },
        user_seats: { kind: "hard" },
      },
    },
    {
      code: "standard",
      name: "Standard",
      display_name: "Standard",
      description: "For production teams.",
      features: ["1M LLM tokens", "5K agent executions", "100K API calls", "100 GB storage", "25 user seats"],
      components: components({
        base: 99,
        llm: { included: 1000000, price: "0.01" },
        agents: { included: 5000, price: "0.10" },
        api: { included: 100000, price: "0.001" },
        storage: { included: 100, price: "0.50" },
        seats: { included: 25, price: "5" },
      }),
      limits: { llm_tokens: soft, agent_executions: soft, api_calls: soft, storage_gb: soft, user_seats: soft },
    },
    {
      code: "enterprise",
      name: "Enterprise",
      display_name: "Enterprise",
      description: "High volume, lower unit prices, unlimited seats.",
      features: ["10M LLM tokens", "50K agent executions", "1M API calls", "1 TB storage", "Unlimited user seats"],
      components: components({
        base: 499,
        llm: { included: 10000000, price: "0.005" },
        agents: { included: 50000, price: "0.05" },
        api: { included: 1000000, price: "0.0005" },
        storage: { included: 1000, price: "0.25" },
        seats: { included: "unlimited", price: "0" },
      }),
      limits: { llm_tokens: soft, agent_executions: soft, api_calls: soft, storage_gb: soft },
    },
  ],
  tax_rates: [
    { code: "US_CA", name: "Sales tax", percent: "7.25", jurisdiction: "California (state rate)" },
    { code: "US_NY", name: "Sales tax", percent: 4, jurisdiction: "New York (state rate)" },
    { code: "US_TX", name: "Sales tax", percent: "6.25", jurisdiction: "Texas (state rate)" },
  ],
};
