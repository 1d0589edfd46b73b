/**
 * reliability-ai — the default catalog (SPEC §4): an AI maintenance and reliability platform.
 * CAD, monthly. Counted metric `assets` (latest nightly snapshot, per-site breakdown) and the
 * credit pool `credits` fed by LLM_token_usage, vision_frame_batch, optimizer_job, simulator_run.
 */
import type { CatalogInput } from "../lib/domain/catalog";

const creditRules = [
  { event_type: "LLM_token_usage", name: "LLM tokens", credits_per_unit: 1, unit_label: "1,000 tokens" },
  { event_type: "vision_frame_batch", name: "Vision frames", credits_per_unit: 5, unit_label: "100 frames" },
  { event_type: "optimizer_job", name: "Optimizer jobs", credits_per_unit: 500, unit_label: "job" },
  { event_type: "simulator_run", name: "Simulator runs", credits_per_unit: 1000, unit_label: "run" },
];

function plan(p: {
  code: string;
  display_name: string;
  description: string;
  base: number;
  assets: number;
  credits: number;
  sites: number;
  perAsset: string;
  perCredit: string;
  features: string[];
  gainShare?: { min_percent: number; max_percent: number; default_percent: number };
}) {
  return {
    code: p.code,
    name: p.code.charAt(0) + p.code.slice(1).toLowerCase(),
    display_name: p.display_name,
    description: p.description,
    features: p.features,
    components: [
      { kind: "base_fee" as const, name: "Base fee", amount: p.base },
      { kind: "counted" as const, metric: "assets", name: "Assets", included: p.assets, unit_price: p.perAsset },
      {
        kind: "credit_pool" as const,
        code: "credits",
        name: "AI credits",
        included: p.credits,
        price_per_credit: p.perCredit,
        credit_rules: creditRules,
      },
    ],
    // Credits and assets beyond the included amounts are billed, never blocked.
    limits: { credits: { kind: "soft" as const }, assets: { kind: "soft" as const } },
    count_limits: { sites: p.sites },
    gain_share: p.gainShare ?? null,
  };
}

export const reliabilityAi: CatalogInput = {
  code: "reliability-ai",
  name: "Reliability AI",
  description: "AI maintenance and reliability platform: monitored assets plus AI credits.",
  currency: "CAD",
  default_plan: "PRO",
  interval: { unit: "month", count: 1 },
  alert_thresholds: [
    { percent: 80, code: "LOW_CREDITS", metrics: ["credits"] },
    { percent: 100, code: "OVERAGE" },
  ],
  dunning: { grace_days: 7, retry_days: [1, 3, 7], suspend_after_days: 14 },
  metrics: [
    {
      code: "assets",
      name: "Assets",
      unit: "asset",
      description: "Monitored assets, from the latest nightly snapshot of the period.",
      kind: "snapshot",
      aggregation: "latest",
      breakdowns: [{ property: "site", name: "Site" }],
    },
  ],
  plans: [
    plan({
      code: "STARTER",
      display_name: "Pilot",
      description: "Prove value on one site.",
      base: 4000,
      assets: 200,
      credits: 250000,
      sites: 1,
      perAsset: "3.00",
      perCredit: "0.0020",
      features: [
        "1 site",
        "200 assets included",
        "250,000 AI credits per month",
        "Predictive maintenance alerts",
        "Email support",
      ],
    }),
    plan({
      code: "PRO",
      display_name: "Scale",
      description: "Roll out across up to three sites.",
      base: 9000,
      assets: 1000,
      credits: 1000000,
      sites: 3,
      perAsset: "3.00",
      perCredit: "0.0020",
      features: [
        "Up to 3 sites",
        "1,000 assets included",
        "1,000,000 AI credits per month",
        "Vision inspection and optimizer",
        "Priority support",
      ],
    }),
    plan({
      code: "ENTERPRISE",
      display_name: "Autonomous",
      description: "Autonomous reliability across the fleet, paid partly on results.",
      base: 18000,
      assets: 3000,
      credits: 5000000,
      sites: 8,
      perAsset: "2.50",
      perCredit: "0.0015",
      gainShare: { min_percent: 10, max_percent: 20, default_percent: 15 },
      features: [
        "Up to 8 sites",
        "3,000 assets included",
        "5,000,000 AI credits per month",
        "Simulator and autonomous work orders",
        "Gain-share on verified savings (10–20 %)",
        "Dedicated reliability engineer",
      ],
    }),
  ],
  tax_rates: [
    { code: "GST", name: "GST", percent: 5, jurisdiction: "Canada (AB, BC, MB, SK, territories)" },
    { code: "HST_ON", name: "HST", percent: 13, jurisdiction: "Ontario" },
    { code: "HST_ATLANTIC", name: "HST", percent: 15, jurisdiction: "New Brunswick, Newfoundland and Labrador, PEI" },
    { code: "GST_QST", name: "GST + QST", percent: "14.975", jurisdiction: "Quebec" },
  ],
  kpis: [
    { code: "availability", name: "Availability", unit: "%", direction: "higher" },
    { code: "mtbf", name: "Mean time between failures", unit: "hours", direction: "higher" },
    { code: "mttr", name: "Mean time to repair", unit: "hours", direction: "lower" },
    { code: "spare_parts_inventory_value", name: "Spare-parts inventory value", unit: "CAD", direction: "lower" },
    { code: "overtime_hours", name: "Overtime hours", unit: "hours", direction: "lower" },
  ],
};
