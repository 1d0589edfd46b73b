import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../../catalogs/index";
import { findPlan } from "../catalog";
import { normalizeUsage, type RawUsage } from "./normalize-usage";
import { UsageError } from "./usage-totals";

const reliability = loadCatalog("reliability-ai");
const pro = findPlan(reliability, "PRO");
const compute = loadCatalog("compute-licences");
const platform = findPlan(compute, "platform");

describe("normalizeUsage", () => {
  it("credit event types in event units become credits", () => {
    // 1,500,000 units of 1,000 tokens × 1 credit = 1.5 M credits
    expect(normalizeUsage({ catalog: reliability, plan: pro, raw: { LLM_token_usage: 1500000 } })).toEqual({
      metrics: {},
      dimensional: {},
      credits: { credits: "1500000" },
      credits_by_event_type: { credits: { LLM_token_usage: "1500000" } },
    });
  });

  it("sums event types and the pool code", () => {
    // 10 × 5 + 2 × 500 + 1 × 1000 + 100 = 2,150 credits
    const usage = normalizeUsage({
      catalog: reliability,
      plan: pro,
      raw: { vision_frame_batch: 10, optimizer_job: "2", simulator_run: 1, credits: 100, assets: "1050" },
    });
    expect(usage.credits).toEqual({ credits: "2150" });
    expect(usage.metrics).toEqual({ assets: "1050" });
    expect(usage.credits_by_event_type?.credits).toEqual({ vision_frame_batch: "50", optimizer_job: "1000", simulator_run: "1000" });
  });

  it("dimensional metrics take cells joined with ':' in the catalog's order", () => {
    const usage = normalizeUsage({
      catalog: compute,
      plan: platform,
      raw: { clusters: { "medium:production": 2, "small:analytics": "1" }, licences: { enterprise: 4 }, users: 9 },
    });
    expect(usage.dimensional).toEqual({ clusters: { "medium:production": "2", "small:analytics": "1" }, licences: { enterprise: "4" } });
    expect(usage.metrics).toEqual({ users: "9" });
  });

  it.each<[string, RawUsage, string, string]>([
    ["unknown key", { widgets: 1 }, "unknown_usage_key", 'unknown usage key "widgets"'],
    ["metric of another catalog", { LLM_token_usage: 1 }, "unknown_usage_key", 'unknown usage key "LLM_token_usage"'],
    ["unknown cell", { clusters: { "production:medium": 1 } }, "unknown_dimension", 'unknown dimension "production:medium" for metric clusters'],
    ["unknown tier", { licences: { gold: 1 } }, "unknown_dimension", 'unknown dimension "gold"'],
    ["scalar for a dimensional metric", { clusters: 3 }, "invalid_usage_quantity", 'usage "clusters": expected an object'],
    ["object for a plain metric", { users: { a: 1 } as never }, "invalid_usage_quantity", 'usage "users"'],
    ["negative", { users: -1 }, "invalid_usage_quantity", 'usage "users": expected a non-negative number'],
    ["text", { users: "many" }, "invalid_usage_quantity", 'usage "users"'],
  ])("%s → %s", (_name, raw, code, message) => {
    let caught: unknown;
    try {
      normalizeUsage({ catalog: compute, plan: platform, raw });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UsageError);
    expect((caught as UsageError).code).toBe(code);
    expect((caught as UsageError).message).toContain(message);
  });
});
