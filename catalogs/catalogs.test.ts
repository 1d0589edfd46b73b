/**
 * Every shipped catalog priced by hand (structure is checked in index.test.ts): for each plan, usage under, at, just over and far over the
 * included quantities; every dimension cell of compute-licences; LAUNCH50 by period index.
 */
import { describe, expect, it } from "vitest";
import { findPlan, findPromotion, type Catalog } from "../lib/domain/catalog";
import { buildInvoicePreview } from "../lib/domain/invoicing/build-invoice-preview";
import { toDecimal } from "../lib/domain/money";
import { normalizeUsage, type RawUsage } from "../lib/domain/rating/normalize-usage";
import { loadCatalog } from "./index";

type Case = {
  name: string;
  plan: string;
  usage: RawUsage;
  /** Expected amounts of some lines, by line code. */
  lines?: Record<string, string>;
  subtotal: string;
  promo?: string;
  period?: number;
  total?: string;
};

function price(catalog: Catalog, c: Case) {
  const plan = findPlan(catalog, c.plan);
  const usage = normalizeUsage({ catalog, plan, raw: c.usage });
  const promotion = c.promo ? findPromotion(catalog, c.promo) : null;
  return buildInvoicePreview({ catalog, plan, periodIndex: c.period ?? 0, usage, promotion });
}

function check(code: string, cases: Case[]) {
  const catalog = loadCatalog(code);
  it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const p = price(catalog, c);
    for (const [lineCode, amount] of Object.entries(c.lines ?? {})) {
      expect(p.lines.find((l) => l.code === lineCode)?.amount, lineCode).toBe(amount);
    }
    expect(p.subtotal).toBe(c.subtotal);
    expect(p.total).toBe(c.total ?? c.subtotal);
  });
}

describe("reliability-ai (CAD)", () => {
  check("reliability-ai", [
    // STARTER: 4,000 base; 200 assets incl. @ 3.00; 250,000 credits incl. @ 0.0020
    { name: "STARTER under", plan: "STARTER", usage: { assets: 150, credits: 200000 }, lines: { assets: "0.00", credits: "0.00" }, subtotal: "4000.00" },
    { name: "STARTER at", plan: "STARTER", usage: { assets: 200, credits: 250000 }, subtotal: "4000.00" },
    // 1 × 3.00; 1 credit × 0.0020 = 0.002 → 0.00
    { name: "STARTER just over", plan: "STARTER", usage: { assets: 201, credits: 250001 }, lines: { assets: "3.00", credits: "0.00" }, subtotal: "4003.00" },
    // 3 credits × 0.0020 = 0.006 → 0.01
    { name: "STARTER 3 credits over", plan: "STARTER", usage: { credits: 250003 }, lines: { credits: "0.01" }, subtotal: "4000.01" },
    // (1,200 − 200) × 3.00 = 3,000; LLM 2,250,000 units × 1 credit − 250,000 = 2,000,000 × 0.0020 = 4,000
    { name: "STARTER far over", plan: "STARTER", usage: { assets: 1200, LLM_token_usage: 2250000 }, lines: { assets: "3000.00", credits: "4000.00" }, subtotal: "11000.00" },
    // PRO: 9,000 base; 1,000 assets @ 3.00; 1,000,000 credits @ 0.0020
    // the worked check: 9,000 + 50 × 3.00 + 200,000 × 0.0020 = 9,000 + 150 + 400 = 9,550
    { name: "PRO worked check", plan: "PRO", usage: { assets: 1050, credits: 1200000 }, lines: { base_fee: "9000.00", assets: "150.00", credits: "400.00" }, subtotal: "9550.00" },
    { name: "PRO worked check via events", plan: "PRO", usage: { assets: 1050, LLM_token_usage: 1200000 }, subtotal: "9550.00" },
    { name: "PRO under", plan: "PRO", usage: { assets: 999, credits: 999999 }, subtotal: "9000.00" },
    { name: "PRO at", plan: "PRO", usage: { assets: 1000, credits: 1000000 }, subtotal: "9000.00" },
    { name: "PRO just over", plan: "PRO", usage: { assets: 1001, credits: 1000001 }, lines: { assets: "3.00", credits: "0.00" }, subtotal: "9003.00" },
    // assets (5,000 − 1,000) × 3 = 12,000; credits 400,000 × 5 + 2,000 × 500 + 1,000 × 1,000 = 4,000,000
    // − 1,000,000 = 3,000,000 × 0.0020 = 6,000 → 9,000 + 12,000 + 6,000 = 27,000
    {
      name: "PRO far over, every event type",
      plan: "PRO",
      usage: { assets: 5000, vision_frame_batch: 400000, optimizer_job: 2000, simulator_run: 1000 },
      lines: { assets: "12000.00", credits: "6000.00" },
      subtotal: "27000.00",
    },
    // ENTERPRISE: 18,000 base; 3,000 assets @ 2.50; 5,000,000 credits @ 0.0015
    { name: "ENTERPRISE under", plan: "ENTERPRISE", usage: { assets: 2999, credits: 4999999 }, subtotal: "18000.00" },
    { name: "ENTERPRISE at", plan: "ENTERPRISE", usage: { assets: 3000, credits: 5000000 }, subtotal: "18000.00" },
    // 2.50 + 0.0015 → 0.00
    { name: "ENTERPRISE just over", plan: "ENTERPRISE", usage: { assets: 3001, credits: 5000001 }, lines: { credits: "0.00" }, subtotal: "18002.50" },
    { name: "ENTERPRISE 3 credits over: 0.0045", plan: "ENTERPRISE", usage: { credits: 5000003 }, lines: { credits: "0.00" }, subtotal: "18000.00" },
    { name: "ENTERPRISE 5 credits over: 0.0075", plan: "ENTERPRISE", usage: { credits: 5000005 }, lines: { credits: "0.01" }, subtotal: "18000.01" },
    { name: "ENTERPRISE 333 credits over: 0.4995", plan: "ENTERPRISE", usage: { credits: 5000333 }, lines: { credits: "0.50" }, subtotal: "18000.50" },
    // (10,000 − 3,000) × 2.50 = 17,500; (15,000,000 − 5,000,000) × 0.0015 = 15,000
    { name: "ENTERPRISE far over", plan: "ENTERPRISE", usage: { assets: 10000, credits: 15000000 }, lines: { assets: "17500.00", credits: "15000.00" }, subtotal: "50500.00" },
  ]);
});

describe("ai-platform (USD)", () => {
  const atStandard = { llm_tokens: 1000000, agent_executions: 5000, api_calls: 100000, storage_gb: 100, user_seats: 25 };
  const atEnterprise = { llm_tokens: 10000000, agent_executions: 50000, api_calls: 1000000, storage_gb: 1000, user_seats: 400 };
  check("ai-platform", [
    { name: "free under", plan: "free", usage: { llm_tokens: 5000, agent_executions: 50, api_calls: 500, storage_gb: "0.5", user_seats: 2 }, subtotal: "0.00" },
    { name: "free at", plan: "free", usage: { llm_tokens: 10000, agent_executions: 100, api_calls: 1000, storage_gb: 1, user_seats: 3 }, subtotal: "0.00" },
    // soft limits on free: usage beyond is not billed
    { name: "free far over bills nothing", plan: "free", usage: { llm_tokens: 9e6, agent_executions: 10000, api_calls: 1e6 }, lines: { llm_tokens: "0.00" }, subtotal: "0.00" },
    { name: "standard under", plan: "standard", usage: { llm_tokens: 999999, agent_executions: 4999, api_calls: 99999, storage_gb: 99, user_seats: 24 }, subtotal: "99.00" },
    { name: "standard at", plan: "standard", usage: atStandard, subtotal: "99.00" },
    // llm 1 token = 0.001 × 0.01 → 0.00; agents 0.10; api 0.001 → 0.00; storage 0.50; seats 5.00 → 104.60
    {
      name: "standard just over",
      plan: "standard",
      usage: { llm_tokens: 1000001, agent_executions: 5001, api_calls: 100001, storage_gb: 101, user_seats: 26 },
      lines: { llm_tokens: "0.00", agent_executions: "0.10", api_calls: "0.00", storage_gb: "0.50", user_seats: "5.00" },
      subtotal: "104.60",
    },
    // 5 calls × 0.001 = 0.005 → 0.01 (tie)
    { name: "standard api tie", plan: "standard", usage: { api_calls: 100005 }, lines: { api_calls: "0.01" }, subtotal: "99.01" },
    // llm 2,500 × 0.01 = 25; agents 10,000 × 0.10 = 1,000; api 500,000 × 0.001 = 500; storage 240 × 0.50 = 120; seats 20 × 5 = 100
    {
      name: "standard far over",
      plan: "standard",
      usage: { llm_tokens: 3500000, agent_executions: 15000, api_calls: 600000, storage_gb: 340, user_seats: 45 },
      lines: { llm_tokens: "25.00", agent_executions: "1000.00", api_calls: "500.00", storage_gb: "120.00", user_seats: "100.00" },
      subtotal: "1844.00",
    },
    { name: "enterprise at (seats unlimited)", plan: "enterprise", usage: atEnterprise, lines: { user_seats: "0.00" }, subtotal: "499.00" },
    // llm 1 package × 0.005 → 0.01; agents 0.05; api 0.0005 → 0.00; storage 0.25
    {
      name: "enterprise just over",
      plan: "enterprise",
      usage: { llm_tokens: 10001000, agent_executions: 50001, api_calls: 1000001, storage_gb: 1001, user_seats: 1000000 },
      lines: { llm_tokens: "0.01", agent_executions: "0.05", api_calls: "0.00", storage_gb: "0.25", user_seats: "0.00" },
      subtotal: "499.31",
    },
    // llm 20,000 × 0.005 = 100; agents 20,000 × 0.05 = 1,000; api 2,000,000 × 0.0005 = 1,000; storage 500 × 0.25 = 125
    {
      name: "enterprise far over",
      plan: "enterprise",
      usage: { llm_tokens: 30000000, agent_executions: 70000, api_calls: 3000000, storage_gb: 1500, user_seats: 5000 },
      subtotal: "2724.00",
    },
  ]);
});

describe("business-os (USD)", () => {
  check("business-os", [
    { name: "basic under", plan: "basic", usage: { api_calls: 999 }, subtotal: "50.00" },
    { name: "basic at", plan: "basic", usage: { api_calls: 1000 }, subtotal: "50.00" },
    { name: "basic just over", plan: "basic", usage: { api_calls: 1001 }, lines: { api_calls: "0.01" }, subtotal: "50.01" },
    // 100,000 × 0.01 = 1,000; 250 × 0.10 = 25; 1,001 × 0.05 = 50.05
    { name: "basic far over", plan: "basic", usage: { api_calls: 101000, data_exports: 250, ai_requests: 1001 }, lines: { data_exports: "25.00", ai_requests: "50.05" }, subtotal: "1125.05" },
    { name: "professional at", plan: "professional", usage: { api_calls: 5000, data_exports: 0, ai_requests: 0 }, subtotal: "150.00" },
    // 0.01 + 0.10 + 0.05
    { name: "professional just over", plan: "professional", usage: { api_calls: 5001, data_exports: 1, ai_requests: 1 }, subtotal: "150.16" },
    { name: "professional far over", plan: "professional", usage: { api_calls: 55000 }, lines: { api_calls: "500.00" }, subtotal: "650.00" },
    { name: "enterprise under", plan: "enterprise", usage: { api_calls: 19999 }, subtotal: "500.00" },
    { name: "enterprise at", plan: "enterprise", usage: { api_calls: 20000 }, subtotal: "500.00" },
    // 1,000,000 × 0.01 = 10,000; 3 × 0.05 = 0.15
    { name: "enterprise far over", plan: "enterprise", usage: { api_calls: 1020000, ai_requests: 3 }, subtotal: "10500.15" },
  ]);
});

describe("anomaly-detection (USD)", () => {
  check("anomaly-detection", [
    { name: "developer at", plan: "developer", usage: { anomalies: 10000 }, subtotal: "0.00" },
    { name: "developer over is never billed (hard limit)", plan: "developer", usage: { anomalies: 50000 }, subtotal: "0.00" },
    { name: "standard under", plan: "standard", usage: { anomalies: 249999 }, subtotal: "49.00" },
    { name: "standard at", plan: "standard", usage: { anomalies: 250000 }, subtotal: "49.00" },
    // 1 × 0.0035 → 0.00; 2 × 0.0035 = 0.007 → 0.01
    { name: "standard just over", plan: "standard", usage: { anomalies: 250001 }, lines: { anomalies: "0.00" }, subtotal: "49.00" },
    { name: "standard two over", plan: "standard", usage: { anomalies: 250002 }, lines: { anomalies: "0.01" }, subtotal: "49.01" },
    // 50,000 × 0.0035 = 175 (the 120 % soft limit caps usage at 300,000)
    { name: "standard far over", plan: "standard", usage: { anomalies: 300000 }, lines: { anomalies: "175.00" }, subtotal: "224.00" },
    { name: "growth at", plan: "growth", usage: { anomalies: 2000000 }, subtotal: "249.00" },
    // 3 × 0.0018 = 0.0054 → 0.01
    { name: "growth just over", plan: "growth", usage: { anomalies: 2000003 }, lines: { anomalies: "0.01" }, subtotal: "249.01" },
    // 1,000,000 × 0.0018 = 1,800
    { name: "growth far over", plan: "growth", usage: { anomalies: 3000000 }, lines: { anomalies: "1800.00" }, subtotal: "2049.00" },
    // LAUNCH50: 50 % off the base fee in periods 0–2, not 3
    { name: "LAUNCH50 standard period 0", plan: "standard", usage: {}, promo: "LAUNCH50", period: 0, lines: { LAUNCH50: "-24.50" }, subtotal: "49.00", total: "24.50" },
    { name: "LAUNCH50 standard period 1", plan: "standard", usage: {}, promo: "LAUNCH50", period: 1, subtotal: "49.00", total: "24.50" },
    { name: "LAUNCH50 standard period 2", plan: "standard", usage: {}, promo: "LAUNCH50", period: 2, subtotal: "49.00", total: "24.50" },
    { name: "LAUNCH50 standard period 3", plan: "standard", usage: {}, promo: "LAUNCH50", period: 3, subtotal: "49.00", total: "49.00" },
    // base only: 249 × 50 % = 124.50; usage 1,800 is not discounted
    { name: "LAUNCH50 growth far over", plan: "growth", usage: { anomalies: 3000000 }, promo: "LAUNCH50", lines: { LAUNCH50: "-124.50" }, subtotal: "2049.00", total: "1924.50" },
  ]);
});

describe("compute-licences (USD, 30 days)", () => {
  const licencePrices: [string, string][] = [
    ["basic", "5.00"],
    ["professional", "15.00"],
    ["enterprise", "25.00"],
  ];
  const clusterPrices: [string, string][] = [
    ["small:development", "20.00"],
    ["small:production", "40.00"],
    ["small:analytics", "30.00"],
    ["medium:development", "40.00"],
    ["medium:production", "80.00"],
    ["medium:analytics", "60.00"],
    ["large:development", "80.00"],
    ["large:production", "160.00"],
    ["large:analytics", "120.00"],
  ];
  const times = (price: string, n: number) => toDecimal(price).times(n).toFixed(2);
  const plus10 = (price: string, n: number) => toDecimal(price).times(n).plus(10).toFixed(2);

  check("compute-licences", [
    // every licence tier × 3: platform 10 + 3 × price
    ...licencePrices.map(([tier, p]) => ({
      name: `licences ${tier} × 3`,
      plan: "platform",
      usage: { licences: { [tier]: 3 } },
      lines: { [`licences:${tier}`]: times(p, 3) },
      subtotal: plus10(p, 3),
    })),
    // every cluster cell × 2
    ...clusterPrices.map(([cell, p]) => ({
      name: `clusters ${cell} × 2`,
      plan: "platform",
      usage: { clusters: { [cell]: 2 } },
      lines: { [`clusters:${cell}`]: times(p, 2) },
      subtotal: plus10(p, 2),
    })),
    // all cells once: licences 5 + 15 + 25 = 45; clusters 20+40+30+40+80+60+80+160+120 = 630; + 10
    {
      name: "every cell once",
      plan: "platform",
      usage: {
        licences: { basic: 1, professional: 1, enterprise: 1 },
        clusters: Object.fromEntries(clusterPrices.map(([cell]) => [cell, 1])),
      },
      subtotal: "685.00",
    },
    // users: 5 included, 3.00 beyond; storage: 50 GB included, 0.10 beyond
    { name: "users and storage under", plan: "platform", usage: { users: 4, storage_gb: "49.9" }, subtotal: "10.00" },
    { name: "users and storage at", plan: "platform", usage: { users: 5, storage_gb: 50 }, subtotal: "10.00" },
    // 1 × 3.00; 0.1 GB × 0.10 = 0.01
    { name: "users and storage just over", plan: "platform", usage: { users: 6, storage_gb: "50.1" }, lines: { users: "3.00", storage_gb: "0.01" }, subtotal: "13.01" },
    // 0.05 GB × 0.10 = 0.005 → 0.01 (tie)
    { name: "storage half-cent", plan: "platform", usage: { storage_gb: "50.05" }, lines: { storage_gb: "0.01" }, subtotal: "10.01" },
    // 100 × 3 = 300; 1,000 × 0.10 = 100
    { name: "users and storage far over", plan: "platform", usage: { users: 105, storage_gb: 1050 }, lines: { users: "300.00", storage_gb: "100.00" }, subtotal: "410.00" },
  ]);
});
